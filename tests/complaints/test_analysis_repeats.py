"""Issue 9, STYLE.md 17: the C15 snapshot's repeat complaints by unit store unit and office ids and the
count (snapshot v3); the unit's label is rendered live, for a reader of the unit's office only; old
snapshots (labels) are turned into ids by migration 0013."""

from __future__ import annotations

import datetime
import importlib
import io
import json

import openpyxl
import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from complaints.models import QuarterlyAnalysis
from complaints.reports import quarterly as report_quarterly
from complaints.reports.presenters import analysis_view_data
from complaints.reports.snapshot import SNAPSHOT_VERSION, QuarterlySnapshot, RepeatUnit
from tests.complaints.conftest import SH
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2026, 1, 1)
APRIL_1 = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=SH)
migration = importlib.import_module("complaints.migrations.0013_analysis_repeats_as_ids")


def _repeat(unit, times):
    for day in range(times):
        ComplaintFactory(
            office=unit.building.community.office,
            unit=unit,
            received_at=datetime.datetime(2026, 2, 2 + day, 10, 0, tzinfo=SH),
        )


@pytest.fixture
def analysis(company, unit_a, unit_b):
    _repeat(unit_a, 3)
    _repeat(unit_b, 2)
    with time_machine.travel(APRIL_1, tick=False):
        analysis, _created = report_quarterly.quarterly_analysis_generate(company=company, quarter=Q1)
    return analysis


def _published(analysis, qa):
    with time_machine.travel(APRIL_1 + datetime.timedelta(days=2), tick=False):
        return report_quarterly.quarterly_analysis_publish(analysis=analysis, by=qa, conclusions="报修类投诉集中")


def test_c15_snapshot_stores_unit_ids_and_no_unit_label(analysis, unit_a, unit_b, office_a, office_b):
    stored = QuarterlyAnalysis.objects.get(pk=analysis.pk).data
    assert stored["version"] == SNAPSHOT_VERSION == 3
    assert stored["repeats"] == [
        {"unit_id": unit_a.pk, "office_id": office_a.pk, "count": 3},
        {"unit_id": unit_b.pk, "office_id": office_b.pk, "count": 2},
    ]
    text = json.dumps(stored, ensure_ascii=False)
    for unit in (unit_a, unit_b):
        assert unit.label not in text
        assert f"{unit.building.name}-{unit.number}" not in text
        assert unit.building.community.name not in text


def test_c15_page_shows_the_unit_labels_to_qa(client, analysis, qa, unit_a, unit_b):
    client.force_login(qa)
    html = client.get(analysis.get_absolute_url()).content.decode()
    assert unit_a.label in html and unit_b.label in html
    assert reverse("estates:unit_detail", args=[unit_a.pk]) in html


def test_c15_published_page_shows_a_reader_only_their_own_offices_unit(
    client, analysis, qa, frontdesk_a, unit_a, unit_b
):
    analysis = _published(analysis, qa)
    client.force_login(frontdesk_a)
    html = client.get(analysis.get_absolute_url()).content.decode()
    assert unit_a.label in html
    assert unit_b.label not in html and f"{unit_b.building.name}-{unit_b.number}" not in html
    printed = client.get(reverse("complaints:analysis_print", args=[analysis.pk])).content.decode()
    assert unit_a.label in printed and unit_b.label not in printed
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("complaints:analysis_export", args=[analysis.pk])).content)
    )
    cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert unit_a.label in cells and unit_b.label not in cells


def test_c15_repeats_render_in_a_fixed_number_of_queries(analysis, qa, unit_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        view = analysis_view_data(analysis, qa)
    assert [(r.unit, r.count) for r in view["repeats"]][0] == (unit_a.label, 3)


def test_c15_old_snapshot_labels_become_ids(analysis, qa, office_a, unit_a):
    old = dict(analysis.data)
    old["version"] = 2
    old["repeats"] = [
        {"office": office_a.name, "unit": unit_a.label, "count": 3},
        {"office": office_a.name, "unit": "拆除小区 9栋-101", "count": 2},  # no such unit any more
    ]
    QuarterlyAnalysis.objects.filter(pk=analysis.pk).update(data=old)

    # Before the migration an old snapshot still reads (its labels dropped, its counts kept).
    snap = QuarterlySnapshot.from_json(old)
    assert [r.count for r in snap.repeats] == [3, 2]

    migration.to_ids(apps, None)

    stored = QuarterlyAnalysis.objects.get(pk=analysis.pk).data
    assert stored["version"] == 3
    assert stored["repeats"] == [
        {"unit_id": unit_a.pk, "office_id": office_a.pk, "count": 3},
        {"unit_id": None, "office_id": office_a.pk, "count": 2},
    ]
    assert unit_a.label not in json.dumps(stored, ensure_ascii=False)
    view = analysis_view_data(QuarterlyAnalysis.objects.get(pk=analysis.pk), qa)
    assert [(r.office, r.unit, r.count) for r in view["repeats"]] == [
        (office_a.name, unit_a.label, 3),
        (office_a.name, "", 2),
    ]
    # Running it again changes nothing.
    migration.to_ids(apps, None)
    assert QuarterlyAnalysis.objects.get(pk=analysis.pk).data == stored


def test_repeat_unit_round_trips():
    snap = QuarterlySnapshot(repeats=(RepeatUnit(unit_id=5, office_id=2, count=4),))
    assert QuarterlySnapshot.from_json(snap.to_json()) == snap
