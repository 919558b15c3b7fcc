"""C14 monthly summaries, C15 quarterly analyses and published complaints, and the exports of the
complaint records (F1, F2, the work log), by stage:

- snapshot.py: the typed, versioned schema of the stored figures; figures.py computes them;
- selectors.py: who sees what (404 outside it); services.py: generation, approval, publication;
- presenters.py: what a page, print view and workbook show; workbooks.py: the C14/C15 Excel files;
- forms.py, views.py: the pages (one helper per report kind);
- records.py: the F1/F2/work-log field lists, once; record_views.py: their exports and print pages.
"""
