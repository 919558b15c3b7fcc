"""The calendar page of the company admin (clock.manage_calendar)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from clock import services
from clock.models import CalendarDay, CalendarSettings, CalendarYear, DayKind, DaySource
from clock.selectors import calendar_warning_for
from clock.worktime import SHANGHAI, day_info

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)

HOLIDAYS_2027 = "2027-01-01\n2027-02-05..2027-02-11\n\n2027-10-01..2027-10-07  # 国庆\n"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin_client(client, company_admin):
    client.force_login(company_admin)
    return client


def test_overview_lists_years_and_warns_about_2027(admin_client):
    response = admin_client.get(reverse("clock:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "tj-year-chinesecalendar" in html
    assert "tj-year-missing" in html
    assert f"{reverse('clock:year')}?year=2027" in html


def test_company_admin_enters_2027(admin_client, company_admin):
    response = admin_client.post(
        reverse("clock:year"),
        {"year": "2027", "holidays": HOLIDAYS_2027, "workdays": "2027-02-20\n2027-09-26", "note": "国办发明电"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clock:overview")
    entry = CalendarYear.objects.get(year=2027)
    assert entry.entered_by == company_admin
    assert CalendarDay.objects.filter(source=DaySource.STATE, kind=DayKind.OFF).count() == 15
    assert CalendarDay.objects.filter(source=DaySource.STATE, kind=DayKind.WORK).count() == 2
    assert not day_info(datetime.date(2027, 2, 8)).provisional
    assert calendar_warning_for(company_admin) is None
    # The form shows what was entered, as ranges.
    page = admin_client.get(reverse("clock:year") + "?year=2027").content.decode()
    assert "2027-02-05..2027-02-11" in page


def test_bad_lines_keep_the_typed_text_and_say_which_line(admin_client):
    typed = "2027-01-01\n2027-13-01\n2027-02-11..2027-02-05"
    response = admin_client.post(reverse("clock:year"), {"year": "2027", "holidays": typed, "workdays": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2027-13-01" in html  # kept in the textarea
    assert "2027-02-11..2027-02-05" in html
    errors = response.context["form"].errors["holidays"]
    assert len(errors) == 2
    assert "2" in errors[0] and "3" in errors[1]
    assert not CalendarYear.objects.exists()


def test_dates_outside_the_year_and_double_entries_are_refused(admin_client):
    response = admin_client.post(
        reverse("clock:year"), {"year": "2027", "holidays": "2026-12-31\n2027-02-05", "workdays": "2027-02-05"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "holidays" in form.errors and "workdays" in form.errors
    assert not CalendarDay.objects.exists()


def test_front_desk_cannot_see_or_change_the_calendar(client_a):
    assert client_a.get(reverse("clock:overview")).status_code == 403
    assert client_a.get(reverse("clock:year")).status_code == 403
    response = client_a.post(reverse("clock:year"), {"year": "2027", "holidays": "2027-01-01", "workdays": ""})
    assert response.status_code == 403
    assert client_a.post(reverse("clock:day_add"), {"date": "2026-12-01", "kind": "off"}).status_code == 403
    assert client_a.post(reverse("clock:settings"), {"periods": "08:00-17:00", "warn_percent": "50"}).status_code == 403
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()
    assert not CalendarSettings.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("clock:overview"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", ["clock:settings", "clock:day_add", "clock:day_remove"])
def test_changes_are_post_only(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 405


def test_add_and_remove_a_company_day_by_date(admin_client):
    response = admin_client.post(reverse("clock:day_add"), {"date": "2026-12-01", "kind": "off", "note": "年终盘点"})
    assert response.status_code == 302
    assert not day_info(datetime.date(2026, 12, 1)).is_working
    assert "年终盘点" in admin_client.get(reverse("clock:overview")).content.decode()
    response = admin_client.post(reverse("clock:day_remove"), {"date": "2026-12-01"})
    assert response.status_code == 302
    assert day_info(datetime.date(2026, 12, 1)).is_working
    assert not CalendarDay.objects.exists()


def test_add_company_day_with_bad_date_shows_the_form_again(admin_client):
    response = admin_client.post(reverse("clock:day_add"), {"date": "明天", "kind": "off"})
    assert response.status_code == 400
    assert "明天" in response.content.decode()


def test_working_periods_are_saved(admin_client, company_admin):
    response = admin_client.post(
        reverse("clock:settings"), {"periods": "08:30-12:00\n13:30-17:30", "warn_percent": "60"}
    )
    assert response.status_code == 302
    row = CalendarSettings.objects.get()
    assert row.periods == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert float(row.warn_fraction) == pytest.approx(0.6)
    assert row.updated_by == company_admin


def test_bad_working_periods_keep_the_text(admin_client):
    response = admin_client.post(
        reverse("clock:settings"), {"periods": "13:00-18:00\n09:00-12:30", "warn_percent": "75"}
    )
    assert response.status_code == 400
    assert "09:00-12:30" in response.content.decode()
    assert response.context["periods_form"].errors["periods"]
    assert not CalendarSettings.objects.exists()


def test_calendar_warning_only_for_who_can_enter_it(company_admin, frontdesk_a, qa):
    assert calendar_warning_for(company_admin) == 2027
    assert calendar_warning_for(frontdesk_a) is None
    assert calendar_warning_for(qa) is None
    assert calendar_warning_for(company_admin, today=datetime.date(2026, 10, 31)) is None


def test_calendar_warning_gone_once_entered(company_admin):
    services.calendar_year_enter(year=2027, holidays=[datetime.date(2027, 1, 1)], workdays=[], by=company_admin)
    assert calendar_warning_for(company_admin) is None


def test_calendar_page_is_chinese_by_default(admin_client):
    html = admin_client.get(reverse("clock:overview")).content.decode()
    assert "工作日历" in html
    assert "法定节假日与调休上班日" in html


def test_clock_catalogue_is_complete():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "clock/locale/zh_Hans/LC_MESSAGES/django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert not empty
    assert "#, fuzzy" not in text
    assert po.with_suffix(".mo").exists()
