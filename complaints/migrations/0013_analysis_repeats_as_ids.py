"""Issue 9 (STYLE.md 17): C15 snapshots stored the repeat complaints' unit labels (小区 楼栋-房号) and
office names. Snapshot v3 keeps the unit's and office's ids and the count; pages render the label live
for a reader of the unit's office. Each stored label is matched to its unit among the analysis
company's units of that office (by office name and unit number, then the label); a label that names
no unit still on record keeps its count with no unit. Irreversible by design: the text is gone."""

from django.db import migrations


def _label(unit) -> str:
    # estates.models.format_unit_label, frozen here as it was when these snapshots were written.
    return f"{unit.building.community.name} {unit.building.name}-{unit.number}"


def to_ids(apps, schema_editor):
    QuarterlyAnalysis = apps.get_model("complaints", "QuarterlyAnalysis")
    Unit = apps.get_model("estates", "Unit")
    Office = apps.get_model("estates", "Office")
    for analysis in QuarterlyAnalysis.objects.only("pk", "company_id", "data").iterator(chunk_size=100):
        data = analysis.data or {}
        repeats = data.get("repeats") or []
        if data.get("version", 1) >= 3 and not any("unit" in r or "office" in r for r in repeats):
            continue
        offices = dict(Office.objects.filter(company_id=analysis.company_id).values_list("name", "pk"))
        converted = []
        for r in repeats:
            if "unit_id" in r and "unit" not in r:
                converted.append(r)
                continue
            office_id = offices.get(r.get("office"))
            label = r.get("unit") or ""
            unit_id = None
            if office_id is not None and "-" in label:
                number = label.rsplit("-", 1)[1]
                for unit in Unit.objects.filter(
                    building__community__office_id=office_id, number=number
                ).select_related("building__community"):
                    if _label(unit) == label:
                        unit_id = unit.pk
                        break
            converted.append({"unit_id": unit_id, "office_id": office_id, "count": r.get("count", 0)})
        data["repeats"] = converted
        data["version"] = 3
        QuarterlyAnalysis.objects.filter(pk=analysis.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0012_date_ranges"), ("estates", "0002_user_language")]
    operations = [migrations.RunPython(to_ids, migrations.RunPython.noop)]
