"""The complaint page's one-to-one companions read in one query (issue 10).

The page shows a complaint's F1 / F2 record, its special report and its publication when they exist;
each `complaint.record_f1`-style access was a query of its own (four per page, most finding nothing).
Here one query LEFT JOINs all four, and each result (or "none") is put in the complaint's own relation
cache, so `related(complaint, "record_f1")`, the record forms and the templates read it from there.
"""

from __future__ import annotations

from .models import Complaint

ONE_TO_ONE = ("record_f1", "record_f2", "special_report", "publication")


def load_one_to_ones(complaint: Complaint) -> None:
    """Fill `complaint`'s caches of ONE_TO_ONE from one query (the complaint is already in scope)."""
    row = Complaint.objects.select_related(*ONE_TO_ONE).only("pk", *ONE_TO_ONE).get(pk=complaint.pk)
    for name in ONE_TO_ONE:
        relation = getattr(Complaint, name).related
        value = relation.get_cached_value(row, default=None)
        relation.set_cached_value(complaint, value)  # None: "has none", as Django caches it
        if value is not None:
            relation.field.set_cached_value(value, complaint)
