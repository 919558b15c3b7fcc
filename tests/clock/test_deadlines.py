"""Deadline services: open (idempotent), meet, cancel, reschedule, and who answers for a role."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clock import services
from clock.models import Deadline, DeadlineEvent, DeadlineState
from clock.selectors import live_deadlines_for
from clock.worktime import SHANGHAI
from estates.models import Role
from tests.factories import CompanyFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def open_c3(unit, office, **kwargs):
    params = {
        "subject": unit,
        "rule": "C3",
        "title": "首次回复",
        "due_at": NOW + datetime.timedelta(hours=8),
        "office": office,
        "responsible_role": Role.FRONT_DESK,
        "escalate_roles": [Role.QA_STAFF],
    }
    params.update(kwargs)
    return services.deadline_open(**params)


def test_open_sets_warning_at_three_quarters(unit_a, office_a):
    deadline = open_c3(unit_a, office_a)
    assert deadline.state == DeadlineState.OPEN
    assert deadline.opened_at == NOW
    assert deadline.warn_at == NOW + datetime.timedelta(hours=6)
    assert deadline.company == office_a.company
    assert deadline.escalate_roles == [Role.QA_STAFF]


def test_open_custom_warn_fraction(unit_a, office_a):
    deadline = open_c3(unit_a, office_a, warn_fraction=0.5)
    assert deadline.warn_at == NOW + datetime.timedelta(hours=4)


def test_open_twice_returns_the_same_deadline(unit_a, office_a):
    first = open_c3(unit_a, office_a)
    second = open_c3(unit_a, office_a, due_at=NOW + datetime.timedelta(hours=1))
    assert second.pk == first.pk
    assert Deadline.objects.count() == 1


def test_open_again_after_met_opens_a_new_one(unit_a, office_a):
    first = open_c3(unit_a, office_a)
    services.deadline_meet(deadline=first)
    second = open_c3(unit_a, office_a)
    assert second.pk != first.pk


def test_other_rule_on_same_subject_is_separate(unit_a, office_a):
    assert open_c3(unit_a, office_a).pk != open_c3(unit_a, office_a, rule="C8").pk


def test_open_needs_someone_responsible_and_known_roles(unit_a, office_a):
    with pytest.raises(ValidationError):
        open_c3(unit_a, office_a, responsible_role="")
    with pytest.raises(ValidationError):
        open_c3(unit_a, office_a, escalate_roles=["nobody"])
    with pytest.raises(ValidationError):
        open_c3(unit_a, office_a, warn_fraction=1.5)


def test_meet_closes_open_deadline(unit_a, office_a):
    deadline = services.deadline_meet(deadline=open_c3(unit_a, office_a))
    assert deadline.state == DeadlineState.MET
    assert deadline.closed_at == NOW


def test_cancel_closes_open_deadline(unit_a, office_a):
    deadline = services.deadline_cancel(deadline=open_c3(unit_a, office_a))
    assert deadline.state == DeadlineState.CANCELLED
    assert deadline.closed_at == NOW


def test_breached_then_met_stays_breached_but_closed(unit_a, office_a):
    deadline = open_c3(unit_a, office_a)
    Deadline.objects.filter(pk=deadline.pk).update(state=DeadlineState.BREACHED, breached_at=NOW)
    later = NOW + datetime.timedelta(days=1)
    deadline = services.deadline_meet(deadline=deadline, at=later)
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.closed_at == later


def test_meet_twice_keeps_first_close_time(unit_a, office_a):
    deadline = services.deadline_meet(deadline=open_c3(unit_a, office_a))
    services.deadline_meet(deadline=deadline, at=NOW + datetime.timedelta(hours=1))
    deadline.refresh_from_db()
    assert deadline.closed_at == NOW


def test_cancel_after_met_changes_nothing(unit_a, office_a):
    deadline = services.deadline_meet(deadline=open_c3(unit_a, office_a))
    deadline = services.deadline_cancel(deadline=deadline)
    assert deadline.state == DeadlineState.MET


def test_meet_deadlines_closes_live_ones_of_that_rule(unit_a, office_a):
    c3 = open_c3(unit_a, office_a)
    c8 = open_c3(unit_a, office_a, rule="C8")
    assert services.meet_deadlines(subject=unit_a, rule="C3") == 1
    c3.refresh_from_db()
    c8.refresh_from_db()
    assert c3.state == DeadlineState.MET
    assert c8.state == DeadlineState.OPEN
    assert services.meet_deadlines(subject=unit_a, rule="C3") == 0
    assert list(services.deadlines_for(unit_a)) == [c3, c8]


def test_reschedule_moves_warning_and_rearms_it(unit_a, office_a):
    deadline = open_c3(unit_a, office_a)
    Deadline.objects.filter(pk=deadline.pk).update(warned_at=NOW)
    DeadlineEvent.objects.create(deadline=deadline, kind=DeadlineEvent.Kind.WARNING, created_at=NOW)
    deadline = services.deadline_reschedule(
        deadline=deadline, due_at=NOW + datetime.timedelta(hours=16), provisional=True
    )
    assert deadline.warn_at == NOW + datetime.timedelta(hours=12)
    assert deadline.warned_at is None
    assert deadline.provisional is True
    # The first warning stays on record; the re-armed one will be a new event (unique per due time).
    assert list(DeadlineEvent.objects.filter(deadline=deadline).values_list("kind", flat=True)) == ["warning"]


def test_reschedule_refuses_a_breached_deadline(unit_a, office_a):
    deadline = open_c3(unit_a, office_a)
    Deadline.objects.filter(pk=deadline.pk).update(state=DeadlineState.BREACHED)
    with pytest.raises(ValidationError):
        services.deadline_reschedule(deadline=deadline, due_at=NOW + datetime.timedelta(days=2))


def test_users_for_role_office_roles_stay_in_their_office(office_a, office_b, frontdesk_a, frontdesk_b, qa):
    assert list(services.users_for_role(role=Role.FRONT_DESK, office=office_a)) == [frontdesk_a]
    # A company role answers for every office of its company.
    assert list(services.users_for_role(role=Role.QA_STAFF, office=office_b)) == [qa]
    assert list(services.users_for_role(role=Role.QA_STAFF, company=office_a.company)) == [qa]
    assert list(services.users_for_role(role=Role.QA_STAFF)) == []


def test_users_for_role_skips_inactive_and_other_companies(office_a, qa):
    other = OfficeFactory(company=CompanyFactory(name="别家物业"))
    UserFactory(role=Role.QA_STAFF, company=other.company)
    UserFactory(role=Role.QA_STAFF, company=office_a.company, is_active=False)
    assert list(services.users_for_role(role=Role.QA_STAFF, office=office_a)) == [qa]


def test_office_less_deadline_takes_the_company_and_shows_to_its_role(unit_a, company, qa):
    deadline = services.deadline_open(
        subject=unit_a,
        rule="C15",
        title="季度分析",
        due_at=NOW + datetime.timedelta(days=30),
        responsible_role=Role.QA_STAFF,
    )
    assert deadline.company == company
    assert list(live_deadlines_for(qa)) == [deadline]
