"""seed_demo's inspections: last month's checks (one signed with findings, one in progress), this
month's opened, a call-back sample with outcomes, repairs with return visits, a catalogue; idempotent."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections import demo
from inspections.models import CallbackItem, Check, Finding, RepairVisit, ServiceOffering
from tests.inspections.conftest import SH

pytestmark = pytest.mark.django_db

APRIL_20 = datetime.datetime(2026, 4, 20, 10, 0, tzinfo=SH)


def test_q1_q5_seed_demo_has_last_months_checks_and_is_idempotent(client):
    from complaints import demo as complaints_demo
    from estates import demo as estates_demo

    with time_machine.travel(APRIL_20, tick=False):
        company = estates_demo.seed()
        complaints_demo.seed(company)
        assert demo.seed(company) > 0
        march = Check.objects.filter(office__company=company, period_start=datetime.date(2026, 3, 1))
        assert sorted(march.values_list("state", flat=True)) == ["open", "signed"]
        signed = march.get(state="signed")
        assert signed.score is not None and Finding.objects.filter(check_run=signed).count() == 2
        states = sorted(Finding.objects.filter(check_run=signed).values_list("corrective_action__state", flat=True))
        assert states == ["done", "open"]  # corrective actions in progress
        assert Check.objects.filter(period_start=datetime.date(2026, 4, 1)).count() == march.count()
        assert CallbackItem.objects.exclude(outcome="").exists()
        assert CallbackItem.objects.filter(outcome="failed").exclude(finding=None).exists()
        assert RepairVisit.objects.exists() and ServiceOffering.objects.filter(promise__gt="").exists()
        counts = (Check.objects.count(), Finding.objects.count(), RepairVisit.objects.count())
        assert demo.seed(company) == 0
        assert (Check.objects.count(), Finding.objects.count(), RepairVisit.objects.count()) == counts

        from estates.models import User

        client.force_login(User.objects.get(username="qa"))
        assert client.get(reverse("inspections:check_detail", args=[signed.pk])).status_code == 200
        assert client.get(reverse("inspections:check_print", args=[signed.pk])).status_code == 200
        assert client.get(reverse("inspections:comparison")).status_code == 200
