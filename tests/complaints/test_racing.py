"""Issue 8, item 4 (racing clicks) and item 8 (403 for an action the role never takes).

Every complaint action is a compare-and-set on the state and the version the page was rendered with:
eight simultaneous POSTs make one escalation, one developer hand-off, one classification; a second
click from the same page is refused. The concurrent test needs PostgreSQL (row locks); the sequential
ones run everywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import ComplaintEvent, ComplaintRecord, EventKind
from complaints.rules import State
from tests.at_once import at_once
from tests.complaints.conftest import TUESDAY_10

ESCALATE = {"reason": "部门无法解决"}
DEVELOPER = {"sent_what": "赔偿申请", "developer_involved": "on", "compensation_amount": "8000"}
CLASSIFY = {"complaint_class": "1", "category": "repairs"}


def _post(client, complaint, action: str, data: dict, version: int):
    return client.post(reverse(f"complaints:act_{action}", args=[complaint.pk]), {**data, "version": version})


def _events(complaint, kind: str) -> int:
    return ComplaintEvent.objects.filter(complaint=complaint, kind=kind).count()


@pytest.mark.parametrize(
    ("action", "data", "kind"),
    [
        ("escalate_mr", ESCALATE, EventKind.ESCALATED),
        ("to_developer", DEVELOPER, EventKind.TO_DEVELOPER),
        ("classify", CLASSIFY, EventKind.CLASSIFIED),
    ],
)
def test_i8_second_click_from_the_same_page_is_refused(frozen, make_complaint, client, qa, action, data, kind):
    complaint = make_complaint()
    client.force_login(qa)
    version = complaint.version
    first = _post(client, complaint, action, data, version)
    second = _post(client, complaint, action, data, version)
    assert first.status_code == second.status_code == 302
    assert _events(complaint, kind) == 1
    messages = list(client.get(complaint.get_absolute_url()).context["messages"])
    assert [m.level_tag for m in messages] == ["success", "error"], [str(m) for m in messages]


def test_i8_note_double_submit_makes_one_note(frozen, make_complaint, client_a):
    complaint = make_complaint()
    for _ in range(2):
        _post(client_a, complaint, "note", {"note": "已上门查看"}, complaint.version)
    assert ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.NOTE, note="已上门查看").count() == 1


def test_i8_a_fresh_page_may_act_again(frozen, make_complaint, client, qa):
    complaint = make_complaint()
    client.force_login(qa)
    _post(client, complaint, "classify", CLASSIFY, complaint.version)
    complaint.refresh_from_db()
    _post(client, complaint, "classify", {"complaint_class": "2", "category": "building"}, complaint.version)
    complaint.refresh_from_db()
    assert complaint.complaint_class == 2
    assert _events(complaint, EventKind.CLASSIFIED) == 2


def test_i8_action_the_role_never_takes_is_403_and_never_offered(frozen, make_complaint, client_a):
    complaint = make_complaint()
    page = client_a.get(complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:act_classify", args=[complaint.pk]) not in page
    response = _post(client_a, complaint, "classify", CLASSIFY, complaint.version)
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.complaint_class is None and _events(complaint, EventKind.CLASSIFIED) == 0


def test_i8_wrong_state_action_keeps_302_with_a_message(frozen, make_complaint, client, qa):
    complaint = make_complaint()
    client.force_login(qa)
    response = _post(client, complaint, "decide_rv", {"required": "1"}, complaint.version)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.RECEIVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("action", "data", "kind"),
    [
        ("escalate_mr", ESCALATE, EventKind.ESCALATED),
        ("to_developer", DEVELOPER, EventKind.TO_DEVELOPER),
        ("classify", CLASSIFY, EventKind.CLASSIFIED),
    ],
)
def test_i8_eight_simultaneous_posts_make_one_change(make_complaint, qa, mr, action, data, kind):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    import time_machine

    with time_machine.travel(TUESDAY_10, tick=True):
        complaint = make_complaint()
        version = complaint.version
        clients = [Client() for _ in range(8)]
        for client in clients:
            client.force_login(qa)
        codes = at_once(
            *(lambda client=client: _post(client, complaint, action, data, version).status_code for client in clients)
        )
    assert codes == [302] * 8
    assert _events(complaint, kind) == 1
    complaint.refresh_from_db()
    assert complaint.version == version + 1
    if action == "escalate_mr":
        assert complaint.escalated_to_mr and complaint.handler == mr


def test_every_action_of_the_registry_has_its_form_service_and_url():
    """The action registry (rules.TRANSITIONS) is the one place an action is declared: its form and
    service exist, and urls.py made its POST URL from it."""
    from complaints import forms, rules

    for action, transition in rules.TRANSITIONS.items():
        assert issubclass(getattr(forms, transition.form), forms.ActionForm), action
        assert callable(getattr(services, transition.service)), action
        reverse(f"complaints:act_{action}", args=[1])
    assert set(rules.TRANSITIONS) == set(rules.Action.values)


def test_i8_record_form_the_role_never_fills_is_403(frozen, make_complaint, client_a, cs_a, qa):
    complaint = make_complaint()
    services.complaint_classify(complaint=complaint, by=qa, complaint_class=1, category="repairs")
    response = client_a.post(reverse("complaints:record_f1", args=[complaint.pk]), {"handling_notes": "处理"})
    assert response.status_code == 403
    assert not ComplaintRecord.objects.filter(complaint=complaint).exists()
