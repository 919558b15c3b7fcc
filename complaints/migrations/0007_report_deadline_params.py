"""Deadline core v2 (issue 6), existing C14/C15 deadlines: store their title parameters, so their titles
render in the reader's language like every other deadline."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("clock", "Deadline")
    MonthlySummary = apps.get_model("complaints", "MonthlySummary")
    QuarterlyAnalysis = apps.get_model("complaints", "QuarterlyAnalysis")
    summary_ct = ContentType.objects.filter(app_label="complaints", model="monthlysummary").first()
    if summary_ct is not None:
        for deadline in Deadline.objects.filter(subject_type=summary_ct, rule="C14"):
            summary = MonthlySummary.objects.select_related("department__office").filter(pk=deadline.subject_id).first()
            if summary is None:
                continue
            department = summary.department
            label = f"{department.office.name} {department.name}" if department.office_id else department.name
            params = {"month": f"{summary.month:%Y-%m}", "department": label}
            Deadline.objects.filter(pk=deadline.pk).update(params=params)
    analysis_ct = ContentType.objects.filter(app_label="complaints", model="quarterlyanalysis").first()
    if analysis_ct is not None:
        for deadline in Deadline.objects.filter(subject_type=analysis_ct, rule="C15"):
            analysis = QuarterlyAnalysis.objects.filter(pk=deadline.subject_id).first()
            if analysis is None:
                continue
            quarter = analysis.quarter
            label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
            Deadline.objects.filter(pk=deadline.pk).update(params={"quarter": label})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_analysis_due_days_min_1"),
        ("clock", "0005_notifications_by_event"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
