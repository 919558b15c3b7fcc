"""Deadline core v2 (issue 6), existing rows: complaint deadlines record their basis and title
parameters, C11 belongs to the forwarded department, the new C8 / handling-deadline fields are filled
from the deadlines, and no closed or invalid complaint keeps a live deadline."""

import datetime

from django.db import migrations
from django.utils import timezone

FINAL = ("closed", "invalid")
WORKING = "work_h"
WALL = "wall_h"
FIXED = "fixed"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Complaint = apps.get_model("complaints", "Complaint")
    Deadline = apps.get_model("clock", "Deadline")
    ct = ContentType.objects.filter(app_label="complaints", model="complaint").first()
    if ct is None:
        return
    now = timezone.now()
    complaints = {c.pk: c for c in Complaint.objects.filter(pk__in=Deadline.objects.filter(subject_type=ct).values("subject_id"))}
    for deadline in Deadline.objects.filter(subject_type=ct).order_by("pk"):
        complaint = complaints.get(deadline.subject_id)
        if complaint is None:
            continue
        updates = {"params": {"number": complaint.number}}
        if deadline.rule == "C3":
            wall = deadline.due_at - complaint.received_at == datetime.timedelta(hours=24)
            updates.update(basis_at=complaint.received_at, measure=WALL if wall else WORKING, amount=24 if wall else 8)
        elif deadline.rule == "C8":
            updates.update(basis_at=deadline.opened_at, measure=WORKING, amount=4)
            if complaint.c8_since is None or deadline.opened_at < complaint.c8_since:
                complaint.c8_since = deadline.opened_at
            if deadline.state == "met":
                complaint.c8_answered_at = deadline.closed_at
        elif deadline.rule == "C8-DL":
            updates.update(basis_at=deadline.due_at, measure=FIXED, amount=0)
            if complaint.handling_due_set_at is None or deadline.opened_at > complaint.handling_due_set_at:
                complaint.handling_due_set_at = deadline.opened_at
        elif deadline.rule == "C11":
            updates.update(basis_at=complaint.forwarded_at or deadline.opened_at, measure=WORKING, amount=8)
            if deadline.closed_at is None and complaint.department_id:
                updates.update(responsible_department_id=complaint.department_id, responsible_role="")
        if complaint.state in FINAL and deadline.closed_at is None:
            closed_at = complaint.closed_at or now
            if deadline.state == "open":
                done = deadline.rule == "C3" and complaint.responded_at is not None
                updates.update(state="met" if done else "cancelled", closed_at=closed_at)
            else:
                updates.update(closed_at=closed_at)
        Deadline.objects.filter(pk=deadline.pk).update(**updates)
    for complaint in complaints.values():
        Complaint.objects.filter(pk=complaint.pk).update(
            c8_since=complaint.c8_since,
            c8_answered_at=complaint.c8_answered_at,
            handling_due_set_at=complaint.handling_due_set_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_deadline_plan_fields"),
        ("clock", "0004_deadline_core_v2"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
