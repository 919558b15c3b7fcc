"""Q2 samples and call-backs, Q4 repairs and their month's deadline, Q5 the public page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clock.models import Deadline, DeadlineState
from clock.services import deadlines_for
from complaints.models import Complaint
from inspections.models import CallbackKind, InspectionSettings, RepairMonth
from inspections.services import callbacks, catalogue, repairs
from tests.factories import ResidentFactory

from .conftest import SH


@pytest.fixture
def residents_a(unit_a):
    return [ResidentFactory(unit=unit_a) for _ in range(30)]


@pytest.fixture
def closed_in_february(office_a, frontdesk_a):
    from tests.factories import ComplaintFactory

    made = []
    for day in range(1, 13):
        c = ComplaintFactory(office=office_a, received_by=frontdesk_a, state="closed")
        Complaint.objects.filter(pk=c.pk).update(closed_at=datetime.datetime(2026, 2, day, 10, tzinfo=SH))
        made.append(c)
    # Closed in March: not last month's.
    late = ComplaintFactory(office=office_a, received_by=frontdesk_a, state="closed")
    Complaint.objects.filter(pk=late.pk).update(closed_at=datetime.datetime(2026, 3, 2, 10, tzinfo=SH))
    return made


def test_q2_sample_is_reproducible_sized_by_the_company_and_drawn_once(
    frozen, qa, office_a, company, residents_a, closed_in_february
):
    InspectionSettings.objects.create(company=company, residents_per_sample=4, items_per_sample=3)
    sample = callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 1), by=qa)
    kinds = [i.kind for i in sample.items.all()]
    assert kinds.count(CallbackKind.RESIDENT) == 4 and kinds.count(CallbackKind.COMPLAINT) == 3
    feb = {c.pk for c in closed_in_february}
    assert {i.complaint_id for i in sample.items.filter(kind="complaint")} <= feb
    again = callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 15), by=qa)
    assert again == sample and again.items.count() == 7
    # Reproducible: the same seed and candidates draw the same residents.
    from inspections import rules

    picked = sorted(i.resident_id for i in sample.items.filter(kind="resident"))
    assert rules.draw_sample([r.pk for r in residents_a], 4, sample.seed, "resident") == picked


def test_q2_only_qa_draws(frozen, frontdesk_a, office_a):
    with pytest.raises(ValidationError):
        callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 1), by=frontdesk_a)


def test_q2_failed_verification_becomes_a_finding_in_this_months_check(
    frozen, qa, office_a, standard, closed_in_february
):
    sample = callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 1), by=qa)
    item = sample.items.filter(kind="complaint").first()
    done = callbacks.callback_record(item=item, by=qa, reached=True, handled=False, satisfied=False, note="其实没修好")
    assert done.outcome == "failed"
    assert done.finding is not None
    assert done.finding.check_run.office == office_a
    assert done.finding.check_run.period_start == datetime.date(2026, 3, 1)
    assert "其实没修好" in done.finding.description
    with pytest.raises(ValidationError):
        callbacks.callback_record(item=done, by=qa, reached=True, handled=True, satisfied=True)


def test_q2_unreached_and_satisfied_call_backs_make_no_finding(frozen, qa, office_a, standard, residents_a):
    sample = callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 1), by=qa)
    first, second = sample.items.filter(kind="resident")[:2]
    assert callbacks.callback_record(item=first, by=qa, reached=False).outcome == "unreached"
    assert callbacks.callback_record(item=second, by=qa, reached=True, satisfied=True).outcome == "ok"
    assert not sample.items.exclude(finding=None).exists()


def test_q4_the_months_return_visits_are_a_deadline_within_that_month(frozen, cs_a, office_a, unit_a):
    repair = repairs.repair_record_create(
        office=office_a, by=cs_a, unit=unit_a, what="更换水龙头", repairer="王师傅", done_on=datetime.date(2026, 3, 9)
    )
    month = RepairMonth.objects.get(office=office_a, month=datetime.date(2026, 3, 1))
    deadline = deadlines_for(month).get(rule="Q4")
    assert deadline.due_at == datetime.datetime(2026, 4, 1, tzinfo=SH)
    assert deadline.responsible_role == "cs_assistant" and deadline.office == office_a

    repairs.repair_visit_record(repair=repair, by=cs_a, reached=True, attitude=5, punctuality=4, quality=5)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.closed_at is not None

    # A second repair the same month reopens the month's visits.
    repairs.repair_record_create(
        office=office_a, by=cs_a, what="门禁维修", repairer="李师傅", done_on=datetime.date(2026, 3, 10)
    )
    assert deadlines_for(month).filter(rule="Q4", closed_at__isnull=True).count() == 1


def test_q4_visit_needs_the_three_scores_when_reached(frozen, cs_a, office_a):
    repair = repairs.repair_record_create(
        office=office_a, by=cs_a, what="更换灯泡", repairer="王师傅", done_on=datetime.date(2026, 3, 9)
    )
    with pytest.raises(ValidationError):
        repairs.repair_visit_record(repair=repair, by=cs_a, reached=True, attitude=5)
    visit = repairs.repair_visit_record(repair=repair, by=cs_a, reached=False)
    assert visit.attitude is None


def test_q4_repair_of_another_office_unit_is_refused(frozen, cs_a, office_a, unit_b):
    with pytest.raises(ValidationError):
        repairs.repair_record_create(
            office=office_a, by=cs_a, unit=unit_b, what="x", repairer="王", done_on=datetime.date(2026, 3, 9)
        )


def test_q4_figures_per_repairer_and_month(frozen, cs_a, office_a, qa):
    from inspections import selectors

    for repairer, scores in (("王师傅", (5, 5, 4)), ("王师傅", (3, 3, 2)), ("李师傅", (4, 4, 4))):
        r = repairs.repair_record_create(
            office=office_a, by=cs_a, what="维修", repairer=repairer, done_on=datetime.date(2026, 3, 2)
        )
        repairs.repair_visit_record(
            repair=r, by=cs_a, reached=True, attitude=scores[0], punctuality=scores[1], quality=scores[2]
        )
    rows = {r["repairer"]: r for r in selectors.repairer_figures(qa, datetime.date(2026, 3, 1))}
    assert rows["王师傅"]["repairs"] == 2 and rows["王师傅"]["visited"] == 2
    assert rows["王师傅"]["attitude"] == 4 and rows["王师傅"]["quality"] == 3
    assert rows["李师傅"]["punctuality"] == 4
    assert Deadline.objects.filter(rule="Q4", closed_at__isnull=True).count() == 0


def test_q5_public_page_lists_the_offices_services_without_login(db, office_a, qa, settings):
    from tests.factories import CommunityFactory

    settings.SITE_URL = "https://wuye.example.cn"
    community = CommunityFactory(office=office_a, name="科信花园")
    catalogue.offering_save(
        office=office_a,
        by=qa,
        kind="paid",
        name="<b>疏通</b>下水道",
        price=Decimal("50"),
        price_unit="次",
        promise="30分钟内响应",
    )
    catalogue.offering_save(office=office_a, by=qa, kind="convenience", name="借用工具", price=None, active=False)
    token = catalogue.community_token(community)
    assert catalogue.community_from_token(token) == community
    response = Client().get(reverse("inspections:public_services", args=[token]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;疏通&lt;/b&gt;下水道" in body and "30分钟内响应" in body
    assert "借用工具" not in body
    forged = f"{community.pk + 1}:{token.split(':')[1]}"
    assert Client().get(reverse("inspections:public_services", args=[forged])).status_code == 404


def test_q5_qr_code_points_at_site_url(client, office_a, frontdesk_a, settings):
    from tests.factories import CommunityFactory

    settings.SITE_URL = "https://wuye.example.cn"
    community = CommunityFactory(office=office_a)
    client.force_login(frontdesk_a)
    response = client.get(reverse("inspections:community_qr", args=[community.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    opened = client.get(reverse("inspections:community_page", args=[community.pk]))
    assert opened["Location"] == f"https://wuye.example.cn/inspections/s/{catalogue.community_token(community)}/"
