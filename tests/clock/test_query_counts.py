"""The working-calendar page has a pinned query count that does not grow with the company's days."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from clock import services
from clock.models import DayKind
from clock.worktime import SHANGHAI

NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_calendar_page_query_count_does_not_grow_with_company_days(
    client, company_admin, django_assert_max_num_queries
):
    client.force_login(company_admin)
    with time_machine.travel(NOW, tick=False):

        def add(first: datetime.date, n: int) -> None:
            for i in range(n):
                services.calendar_day_set(
                    date=first + datetime.timedelta(days=i), kind=DayKind.OFF, note="检修", by=company_admin
                )

        add(datetime.date(2026, 12, 1), 2)
        with django_assert_max_num_queries(20) as few:
            assert client.get(reverse("clock:overview")).status_code == 200
        add(datetime.date(2026, 12, 10), 15)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse("clock:overview")).status_code == 200
