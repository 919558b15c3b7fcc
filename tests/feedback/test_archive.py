"""The monthly archive (F2): one per office and month however often the job fires, catching up missed
months; counts, Pareto, change, items still open; analysis, corrective actions, approval, read-only."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from clock.models import Deadline
from feedback.models import ArchiveState, MonthlyArchive
from feedback.rules import State
from feedback.services import (
    action_create,
    archive_approve,
    archive_generate,
    archive_save_analysis,
    entry_create,
    generate_due_archives,
)
from tests.feedback.conftest import SH

pytestmark = pytest.mark.django_db

FEB = datetime.date(2026, 2, 1)


@pytest.fixture
def february(office_a, frontdesk_a):
    def log(day, kind, category, channel="phone", content="x"):
        with time_machine.travel(datetime.datetime(2026, 2, day, 10, 0, tzinfo=SH), tick=False):
            return entry_create(
                office=office_a, by=frontdesk_a, channel=channel, kind=kind, category=category, content=content
            )

    for i in range(5):
        log(2 + i, "opinion", "repairs")
    for i in range(3):
        log(10 + i, "suggestion", "parking", channel="visit")
    log(20, "praise", "security")
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, 0, tzinfo=SH), tick=False):
        entry_create(office=office_a, by=frontdesk_a, channel="phone", kind="opinion", content="一月")


def test_f2_archive_counts_pareto_change_and_open_items(frozen, february, office_a):
    archive, created = archive_generate(office=office_a, month=FEB)
    assert created
    data = archive.data
    assert data["total"] == 9
    assert {r["code"]: r["count"] for r in data["by_kind"]}["opinion"] == 5
    assert {r["code"]: r["count"] for r in data["by_channel"]}["visit"] == 3
    assert [(r["count"], r["cumulative"]) for r in data["pareto"]] == [(5, 55.6), (3, 88.9), (1, 100.0)]
    assert data["earlier"][0] == {"month": "2026-01", "total": 1, "by_kind": {"opinion": 1}}
    assert data["open_count"] == 10  # everything before March is still open


def test_f2_one_archive_per_office_and_month_however_often_the_job_fires(frozen, february, office_a, office_b):
    made = generate_due_archives()
    again = generate_due_archives()
    assert again == 0
    # Office A catches up from its first entry (January), office B starts with last month.
    assert sorted((a.office_id, a.month) for a in MonthlyArchive.objects.all()) == sorted(
        [(office_a.pk, datetime.date(2026, 1, 1)), (office_a.pk, FEB), (office_b.pk, FEB)]
    )
    assert made == 3


def test_f2_catches_up_missed_months(office_a, frontdesk_a):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 10, 0, tzinfo=SH), tick=False):
        generate_due_archives()  # December
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, 0, tzinfo=SH), tick=False):
        generate_due_archives()  # beat was down: January, February, March
    months = sorted(MonthlyArchive.objects.filter(office=office_a).values_list("month", flat=True))
    assert months == [datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), FEB, datetime.date(2026, 3, 1)]


def test_f2_archive_has_an_approval_deadline_for_the_office_manager(frozen, office_a):
    archive, _created = archive_generate(office=office_a, month=FEB)
    (deadline,) = Deadline.objects.filter(rule="F2", subject_id=str(archive.pk))
    assert deadline.responsible_role == "office_manager"
    assert deadline.due_at == datetime.datetime(2026, 3, 11, 0, 0, tzinfo=SH)


def test_f2_manager_approves_after_analysis_then_read_only(
    frozen, february, office_a, frontdesk_a, officemanager_a, cs_a
):
    archive, _created = archive_generate(office=office_a, month=FEB)
    action_create(
        office=office_a,
        by=officemanager_a,
        archive=archive,
        title="报修集中",
        due_on=datetime.date(2026, 3, 31),
        owner=cs_a,
    )
    with pytest.raises(ValidationError):
        archive_approve(archive=archive, by=officemanager_a)  # no analysis yet
    archive = archive_save_analysis(archive=archive, by=cs_a, analysis="报修占55.6%，主要是电梯")
    with pytest.raises(ValidationError):
        archive_approve(archive=archive, by=frontdesk_a)  # only the office manager
    archive = archive_approve(archive=archive, by=officemanager_a)
    assert archive.state == ArchiveState.APPROVED
    with pytest.raises(ValidationError):
        archive_save_analysis(archive=archive, by=cs_a, analysis="改")
    with pytest.raises(ValidationError):
        action_create(
            office=office_a,
            by=officemanager_a,
            archive=archive,
            title="x",
            due_on=datetime.date(2026, 3, 31),
            owner=cs_a,
        )
    assert not Deadline.objects.filter(rule="F2", subject_id=str(archive.pk), closed_at__isnull=True).exists()


def test_f2_archive_page_chart_and_export(frozen, february, client, office_a, officemanager_a, cs_a):
    archive, _created = archive_generate(office=office_a, month=FEB)
    action_create(
        office=office_a,
        by=officemanager_a,
        archive=archive,
        title="=cmd|' /C calc'!A0",
        due_on=datetime.date(2026, 3, 31),
        owner=cs_a,
    )
    client.force_login(officemanager_a)
    html = client.get(archive.get_absolute_url()).content.decode()
    assert 'id="pareto-data"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "cdn" not in html.lower()
    response = client.get(reverse("feedback:archive_xlsx", args=[archive.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.value == "=cmd|' /C calc'!A0" and c.data_type == "s" for c in cells)
    assert client.get(reverse("feedback:archive_print", args=[archive.pk])).status_code == 200


def test_f2_archive_open_items_render_through_the_readers_scope(frozen, february, client, office_a, frontdesk_b):
    archive, _created = archive_generate(office=office_a, month=FEB)
    client.force_login(frontdesk_b)
    assert client.get(archive.get_absolute_url()).status_code == 404


def test_f2_closed_items_leave_the_open_count(frozen, office_a, frontdesk_a):
    from feedback.services import entry_update

    with time_machine.travel(datetime.datetime(2026, 2, 3, 10, 0, tzinfo=SH), tick=False):
        entry = entry_create(office=office_a, by=frontdesk_a, channel="phone", kind="opinion", content="x")
    entry_update(entry=entry, by=frontdesk_a, state=State.CLOSED, outcome="已答复")
    archive, _created = archive_generate(office=office_a, month=FEB)
    assert archive.data["open_count"] == 0


def test_f2_the_hourly_task_makes_last_months_archives(frozen, february, office_a):
    from feedback.tasks import generate_monthly_archives

    assert generate_monthly_archives() >= 1
    assert generate_monthly_archives() == 0
    assert MonthlyArchive.objects.filter(office=office_a, month=FEB).exists()
