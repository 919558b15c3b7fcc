"""Issue 9 (PIPL, STYLE.md 17): C14 snapshots stored each complaint's office, unit, name, phone and
content. Keep the figures and the complaint id only; pages render the rest live through the reader's
office scope. Irreversible by design: what was copied out is gone."""

from django.db import migrations

PERSONAL = ("office", "unit", "who", "phone", "content")


def strip(apps, schema_editor):
    MonthlySummary = apps.get_model("complaints", "MonthlySummary")
    for summary in MonthlySummary.objects.only("pk", "data").iterator(chunk_size=200):
        data = summary.data or {}
        rows = data.get("rows") or []
        if not any(key in row for row in rows for key in PERSONAL) and data.get("version", 1) >= 2:
            continue
        data["rows"] = [{k: v for k, v in row.items() if k not in PERSONAL} for row in rows]
        data["version"] = 2
        MonthlySummary.objects.filter(pk=summary.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_list_scale")]
    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
