"""What other apps read: survey deadlines met per office and month (inspections, Q1) and the
promises of approved open letters with their state (Q3)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from clock.sweeper import sweep
from surveys import selectors, services
from surveys.models import OpenLetterPromise, SampleUnit

from .conftest import SH, close_round


def test_survey_deadlines_met_per_office_and_month(fieldwork_round, supervisor_a, office_a, office_b, frozen):
    # S5 received 10 March, due 14 March 00:00: handed out on the 12th -> met. S7 then due 23 March.
    frozen.move_to(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=SH))
    sample = list(SampleUnit.objects.filter(round=fieldwork_round).select_related("unit"))
    services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=sample, channel="door")
    frozen.move_to(datetime.datetime(2026, 3, 24, 9, 0, tzinfo=SH))
    sweep()  # S7 not collected in time: breached
    march = selectors.survey_deadlines_met(office_a, 2026, 3)
    assert march == {"due": 2, "met": 1, "breached": 1, "open": 0}
    assert selectors.survey_deadlines_met(office_a, 2026, 4) == {"due": 0, "met": 0, "breached": 0, "open": 0}
    assert selectors.survey_deadlines_met(office_b, 2026, 3)["due"] == 0


def test_q3_open_letter_promises_with_their_state(
    fieldwork_round, supervisor_a, officemanager_a, mgmtrep, qa, frontdesk_b
):
    fieldwork_round = close_round(fieldwork_round, officemanager_a, supervisor_a)
    letter = services.letter_draft(
        survey_round=fieldwork_round, by=supervisor_a, title="公开信", body="正文", promises=["修路灯", "", "加巡逻"]
    )
    assert list(selectors.open_letter_promises(qa)) == []  # not approved yet: no promise counts
    services.letter_submit(letter=letter, by=supervisor_a)
    services.letter_approve(letter=letter, by=mgmtrep)
    promises = list(selectors.open_letter_promises(qa))
    assert [(p.position, p.text, p.state) for p in promises] == [(1, "修路灯", "open"), (2, "加巡逻", "open")]
    assert list(selectors.open_letter_promises(frontdesk_b)) == []  # another office
    first = promises[0]
    with pytest.raises(ValidationError):
        services.promise_update(promise=first, by=supervisor_a, state="verified")  # not done yet
    services.promise_update(promise=first, by=supervisor_a, state="done", note="已更换")
    with pytest.raises(ValidationError):
        services.promise_update(promise=first, by=supervisor_a, state="verified")  # QA verifies (Q3)
    services.promise_update(promise=first, by=qa, state="verified", note="回访住户满意")
    first.refresh_from_db()
    assert (first.state, first.verified_by) == (OpenLetterPromise.State.VERIFIED, qa)
    assert [p.pk for p in selectors.open_letter_promises(qa, state="open")] == [promises[1].pk]
