"""The per-(company, office, rule, escalation role) breach counts QA's dashboard reads (issue 10,
clock.breach_counts): after every kind of change to a deadline — the sweeper's batch and single
steps, a close through deadline_sync or the services, a change of escalation roles or of office, a
bulk update, a delete, a truncate — the stored counts equal a fresh aggregate of the deadlines, and
the dashboard's groups equal the supervised list's rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from clock import deadlines, services
from clock.breach_counts import BreachCount, breach_counts_drift, fresh_counts, stored_counts
from clock.deadlines import DeadlineSpec, Measure, deadline_sync
from clock.models import Deadline, DeadlineState
from clock.selectors import supervised_breach_groups, supervised_breaches_for
from clock.sweeper import breach_one, sweep
from clock.sweeper_batches import breach_batch
from estates.models import Role
from tests.at_once import at_once
from tests.factories import UnitFactory

NOW = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def _overdue(office, *, rule="C3", roles=(Role.QA_STAFF,), company=None, responsible_role=Role.FRONT_DESK):
    unit = UnitFactory(building__community__office=office) if office else UnitFactory()
    return services.deadline_open(
        subject=unit,
        rule=rule,
        title="首次回复",
        opened_at=NOW - 10 * HOUR,
        due_at=NOW - HOUR,
        office=office,
        company=company,
        responsible_role=responsible_role,
        escalate_roles=list(roles),
    )


def _exact() -> dict:
    assert breach_counts_drift() == {}
    return stored_counts()


def _key(deadline, role=Role.QA_STAFF):
    return (deadline.company_id or 0, deadline.office_id or 0, deadline.rule, role)


def _groups_match_the_list(user) -> None:
    groups = supervised_breach_groups(user, limit=1000)
    listed: dict = {}
    for d in supervised_breaches_for(user):
        listed[(d.rule, d.office_id)] = listed.get((d.rule, d.office_id), 0) + 1
    assert {(g.rule, g.office_id): g.count for g in groups.groups} == listed
    assert groups.total == sum(listed.values())


@pytest.mark.django_db
def test_counts_follow_the_sweeper_and_every_close(office_a, office_b, qa):
    a1, a2, a3 = (_overdue(office_a) for _ in range(3))
    b1 = _overdue(office_b, rule="C11", roles=(Role.QA_STAFF, Role.QA_MANAGER, Role.QA_STAFF))
    assert _exact() == {}  # open deadlines are not counted

    assert breach_batch(NOW, 2) == 2  # the batch step: one UPDATE of several rows
    assert breach_one(NOW) == 1  # the single step
    assert breach_batch(NOW, 10) == 1
    counts = _exact()
    assert counts[_key(a1)] == 3
    # A role listed twice counts the deadline once.
    assert counts[_key(b1)] == 1 and counts[_key(b1, Role.QA_MANAGER)] == 1
    _groups_match_the_list(qa)

    services.deadline_meet(deadline=a1)  # breached stays breached, closed: no longer counted
    services.deadline_cancel(deadline=a2)
    assert _exact()[_key(a1)] == 1
    services.deadline_meet(deadline=a2)  # closing again changes nothing
    assert _exact()[_key(a1)] == 1
    Deadline.objects.filter(pk=a3.pk).update(closed_at=NOW)  # a bulk path, bypassing the services
    assert _key(a1) not in _exact()
    _groups_match_the_list(qa)

    b1.delete()  # a cascade (subject, office) deletes rows too
    assert _exact() == {}


@pytest.mark.django_db
def test_counts_follow_deadline_sync(office_a, office_b, qa):
    unit = UnitFactory(building__community__office=office_a)

    def spec(office, roles=(Role.QA_STAFF,), basis=NOW - 10 * HOUR):
        return DeadlineSpec(
            rule="C3",
            basis=basis,
            measure=Measure.WALL_HOURS,
            amount=8,
            office=office,
            company=None,
            responsible_user_id=None,
            responsible_department_id=None,
            responsible_role=Role.FRONT_DESK,
            escalate_roles=roles,
        )

    deadline_sync(unit, [spec(office_a)], now=NOW - 5 * HOUR)
    sweep(NOW)
    first = Deadline.objects.get(state=DeadlineState.BREACHED)
    assert _exact() == {_key(first): 1}

    # Escalation roles changed on the live breached deadline (a cosmetic update of the row).
    deadline_sync(unit, [spec(office_a, roles=(Role.QA_MANAGER,))], now=NOW)
    assert _exact() == {_key(first, Role.QA_MANAGER): 1}
    # Another office: the breached one is closed (lateness kept) and a new one opens, not counted.
    deadline_sync(unit, [spec(office_b, roles=(Role.QA_MANAGER,))], now=NOW)
    assert _exact() == {}
    sweep(NOW + 10 * HOUR)
    second = Deadline.objects.get(state=DeadlineState.BREACHED, closed_at__isnull=True)
    assert second.office_id == office_b.pk and _exact() == {_key(second, Role.QA_MANAGER): 1}
    # Another basis: a breached one stays on record, closed, and a new one runs.
    deadline_sync(unit, [spec(office_b, roles=(Role.QA_MANAGER,), basis=NOW)], now=NOW + 10 * HOUR)
    assert _exact() == {}
    sweep(NOW + 30 * HOUR)
    assert len(_exact()) == 1
    # The final state plans nothing: every live deadline closed.
    deadline_sync(unit, [], now=NOW + 31 * HOUR)
    assert _exact() == {}


@pytest.mark.django_db
def test_company_level_breaches_and_the_users_own(company, office_a, qa):
    own = _overdue(None, company=company, rule="C15", roles=(Role.QA_STAFF,), responsible_role=Role.QA_STAFF)
    other = _overdue(None, company=company, rule="C15", roles=(Role.QA_STAFF,), responsible_role=Role.QA_MANAGER)
    _overdue(office_a, rule="C3")
    sweep(NOW)
    counts = _exact()
    assert counts[(company.pk, 0, "C15", Role.QA_STAFF)] == 2
    # QA answers for `own` (its role, no department): not among what QA supervises.
    groups = supervised_breach_groups(qa)
    assert [(g.rule, g.office_id, g.count) for g in groups.groups] == [("C15", None, 1), ("C3", office_a.pk, 1)]
    assert groups.groups[0].oldest_due_at == other.due_at
    _groups_match_the_list(qa)
    Deadline.objects.filter(pk=other.pk).update(closed_at=NOW)
    assert [(g.rule, g.count) for g in supervised_breach_groups(qa).groups] == [("C3", 1)]
    assert own.pk


@pytest.mark.django_db
def test_the_dashboard_shows_the_oldest_groups_and_the_whole_total(office_a, office_b, qa):
    for rule in ("C3", "C11", "C8-DL"):
        for office in (office_a, office_b):
            _overdue(office, rule=rule)
    sweep(NOW)
    groups = supervised_breach_groups(qa, limit=4)
    assert len(groups.groups) == 4 and groups.hidden == 2 and groups.total == 6


@pytest.mark.django_db
def test_the_rebuild_command_restores_counts_and_the_check_reports_drift(office_a, capsys):
    deadline = _overdue(office_a)
    sweep(NOW)
    BreachCount.objects.update(n=7)  # drift on purpose
    call_command("breach_counts")
    assert "1 key differs" in capsys.readouterr().out
    call_command("breach_counts", "--rebuild")
    assert _exact() == {_key(deadline): 1}
    call_command("breach_counts")
    assert "exact" in capsys.readouterr().out


@pytest.mark.django_db
def test_recompute_and_reschedule_do_not_touch_the_counts(office_a):
    open_one = _overdue(office_a)
    Deadline.objects.filter(pk=open_one.pk).update(due_at=NOW + HOUR)
    services.deadline_reschedule(deadline=open_one, due_at=NOW + 5 * HOUR)
    deadlines.deadlines_recompute(reason="test", now=NOW)
    assert _exact() == {} and fresh_counts() == {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_count_each_breach_once(office_a, office_b, qa):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    made = [_overdue(office) for office in (office_a, office_b) for _ in range(40)]
    now = datetime.datetime.now(tz=datetime.UTC)

    def run() -> None:
        for _ in range(20):
            if not breach_batch(now, 3):
                break

    at_once(run, run)
    assert Deadline.objects.filter(state=DeadlineState.BREACHED).count() == len(made)
    assert _exact() == {_key(made[0]): 40, _key(made[-1]): 40}
    # A TRUNCATE (pytest-django's flush, a restore) leaves no stale count behind.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE clock_deadline CASCADE")
    assert stored_counts() == {}
