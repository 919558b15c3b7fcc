"""The register's search column (Entry.search_text, complaints.search): filled for the entries there are,
then served on PostgreSQL by a trigram index on it instead of the index on UPPER(content) (migration 0002),
which pg_trgm cannot use for a two-character Chinese query (漏水 makes no trigram)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from complaints.search import search_document

    Entry = apps.get_model("feedback", "Entry")
    last = 0
    while True:
        rows = list(Entry.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "content")[:2000])
        if not rows:
            break
        for pk, content in rows:
            Entry.objects.filter(pk=pk).update(search_text=search_document([content]))
        last = rows[-1][0]


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS fb_entry_content_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS fb_entry_search_trgm ON feedback_entry USING gin (search_text gin_trgm_ops)"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS fb_entry_search_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS fb_entry_content_trgm ON feedback_entry USING gin ((UPPER(content::text)) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_outreach_resident_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index, unindex, elidable=False),
    ]
