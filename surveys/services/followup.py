"""After collection: statistics done (S9) with comments into the register (F1) and dissatisfied items
to the departments (S17) and the return-visit queue (S18); the open letter (S15) and its promises
(Q3); table and letter to QA and on to the management representative (S16); results posted (S19)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from estates.models import Role, User

from ..models import Answer, OpenLetter, OpenLetterPromise, ReturnVisit, RoundState, SurveyRound
from ..rules import Level
from . import register
from .core import (
    MANAGERS,
    OFFICE_STAFF,
    QA_ROLES,
    require,
    require_office,
    require_role,
    require_state,
    round_deadlines_sync,
    tell,
)


def _locked(survey_round: SurveyRound) -> SurveyRound:
    return SurveyRound.objects.select_for_update().select_related("office", "community").get(pk=survey_round.pk)


@transaction.atomic
def statistics_done(*, survey_round: SurveyRound, by: User) -> SurveyRound:
    """S9: statistics and analysis done (the table is computed from the answers, never typed). Every
    comment goes into the communication register (F1); every dissatisfied answer becomes a return
    visit (S18) and its item a nonconformity for the responsible department (S17)."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.CLOSED)
    r.state = RoundState.ANALYSED
    r.statistics_at = timezone.now()
    r.statistics_by = by
    r.save(update_fields=["state", "statistics_at", "statistics_by"])
    dissatisfied = list(
        Answer.objects.filter(
            response__sample_unit__round=r, response__sample_unit__active=True, level=Level.DISSATISFIED
        ).select_related("response__sample_unit", "question")
    )
    ReturnVisit.objects.bulk_create(
        [ReturnVisit(round=r, sample_unit=a.response.sample_unit, question=a.question, answer=a) for a in dissatisfied],
        ignore_conflicts=True,
    )
    register.comments_to_register(survey_round=r, by=by)
    register.nonconformities_raise(survey_round=r, by=by)
    round_deadlines_sync(r)
    return r


@transaction.atomic
def return_visit_record(*, visit: ReturnVisit, by: User, outcome: str, note: str = "") -> ReturnVisit:
    """S18: customer service return-visits the resident on how the item was handled."""
    require_office(by, visit.round)
    require(outcome in ReturnVisit.Outcome.values, _("Choose the outcome."))
    changed = ReturnVisit.objects.filter(pk=visit.pk, state=ReturnVisit.State.PENDING).update(
        state=ReturnVisit.State.DONE, outcome=outcome, note=note.strip()[:300], visited_by=by, visited_at=timezone.now()
    )
    require(changed == 1, _("This return visit is already recorded."))
    visit.refresh_from_db()
    return visit


# ---------------------------------------------------------------------------------------------
# S15: the open letter


def _letter_round(letter: OpenLetter) -> SurveyRound:
    return letter.round


@transaction.atomic
def letter_draft(*, survey_round: SurveyRound, by: User, title: str, body: str, promises: list[str]) -> OpenLetter:
    """Draft (or redraft while not yet submitted) the open letter with its promises, one per line."""
    require_office(by, survey_round)
    require_role(by, OFFICE_STAFF, _("The office drafts the open letter (S15)."))
    survey_round = _locked(survey_round)
    require(survey_round.closed_at is not None, _("Close collection first."))
    require(bool(title.strip()) and bool(body.strip()), _("Write the letter's title and text."))
    letter = OpenLetter.objects.select_for_update().filter(round=survey_round).first()
    if letter is None:
        letter = OpenLetter(round=survey_round, author=by)
    else:
        require(letter.state == OpenLetter.State.DRAFT, _("The letter is no longer a draft."))
    letter.title = title.strip()[:100]
    letter.body = body.strip()
    letter.full_clean(exclude=["round"])
    letter.save()
    letter.promises.all().delete()
    OpenLetterPromise.objects.bulk_create(
        OpenLetterPromise(letter=letter, position=i, text=text.strip()[:300])
        for i, text in enumerate((p for p in promises if p.strip()), start=1)
    )
    return letter


def _letter_move(letter: OpenLetter, from_state: str, **updates) -> None:
    moved = OpenLetter.objects.filter(pk=letter.pk, state=from_state).update(**updates)
    require(moved == 1, _("The letter is not at this step."))
    letter.refresh_from_db()


@transaction.atomic
def letter_submit(*, letter: OpenLetter, by: User) -> None:
    require_office(by, letter.round)
    _letter_move(letter, OpenLetter.State.DRAFT, state=OpenLetter.State.SUBMITTED, submitted_at=timezone.now())
    tell(
        role=Role.MGMT_REP,
        survey_round=letter.round,
        key=f"letter:{letter.pk}:{letter.submitted_at:%Y%m%d%H%M%S}",
        title=gettext_noop("The open letter of %(community)s %(period)s awaits your approval (S15)"),
    )


@transaction.atomic
def letter_approve(*, letter: OpenLetter, by: User) -> None:
    """S15: the management representative approves, never the letter's author."""
    require_office(by, letter.round)
    require_role(by, (Role.MGMT_REP,), _("The management representative approves the open letter (S15)."))
    require(by.pk != letter.author_id, _("The author of a letter may not approve it."))
    _letter_move(
        letter, OpenLetter.State.SUBMITTED, state=OpenLetter.State.APPROVED, approved_by=by, approved_at=timezone.now()
    )


@transaction.atomic
def letter_return(*, letter: OpenLetter, by: User, note: str) -> None:
    require_office(by, letter.round)
    require_role(by, (Role.MGMT_REP,), _("The management representative approves the open letter (S15)."))
    require(bool(note.strip()), _("Say what should change."))
    _letter_move(letter, OpenLetter.State.SUBMITTED, state=OpenLetter.State.DRAFT, returned_note=note.strip())


@transaction.atomic
def letter_post(*, letter: OpenLetter, by: User, at: datetime.datetime | None = None) -> None:
    """Posted on the notice board after approval; S16 starts."""
    require_office(by, letter.round)
    at = at or timezone.now()
    _letter_move(letter, OpenLetter.State.APPROVED, state=OpenLetter.State.POSTED, posted_at=at)
    r = _locked(letter.round)
    r.letter_posted_at = at
    r.save(update_fields=["letter_posted_at"])
    round_deadlines_sync(r)


@transaction.atomic
def letter_waive(*, survey_round: SurveyRound, by: User, reason: str) -> None:
    """S15 applies where opinions concentrate or stand out; a manager may record that none do."""
    require_office(by, survey_round)
    require_role(by, MANAGERS, _("A manager decides that no open letter is needed."))
    require(bool(reason.strip()), _("Record why no open letter is needed."))
    r = _locked(survey_round)
    require(r.closed_at is not None and r.letter_posted_at is None, _("The survey round is not at this step."))
    require(
        not OpenLetter.objects.filter(round=r).exclude(state=OpenLetter.State.DRAFT).exists(),
        _("A letter is under way."),
    )
    r.letter_waived = True
    r.letter_waived_reason = reason.strip()
    r.save(update_fields=["letter_waived", "letter_waived_reason"])
    round_deadlines_sync(r)


@transaction.atomic
def promise_update(*, promise: OpenLetterPromise, by: User, state: str, note: str = "") -> OpenLetterPromise:
    """Q3: the office marks a promise done; QA verifies it (until residents are satisfied)."""
    require_office(by, promise.letter.round)
    require(
        promise.letter.state in (OpenLetter.State.APPROVED, OpenLetter.State.POSTED), _("The letter is not approved.")
    )
    now = timezone.now()
    if state == OpenLetterPromise.State.DONE:
        changed = OpenLetterPromise.objects.filter(pk=promise.pk, state=OpenLetterPromise.State.OPEN).update(
            state=state, done_at=now, note=note.strip()[:300]
        )
    elif state == OpenLetterPromise.State.VERIFIED:
        require_role(by, QA_ROLES, _("QA verifies what the open letter promised (Q3)."))
        changed = OpenLetterPromise.objects.filter(pk=promise.pk, state=OpenLetterPromise.State.DONE).update(
            state=state, verified_at=now, verified_by=by, note=note.strip()[:300]
        )
    elif state == OpenLetterPromise.State.OPEN:
        require_role(by, QA_ROLES, _("QA verifies what the open letter promised (Q3)."))
        changed = OpenLetterPromise.objects.filter(pk=promise.pk, state=OpenLetterPromise.State.DONE).update(
            state=state, done_at=None, note=note.strip()[:300]
        )
    else:
        changed = 0
    require(changed == 1, _("The promise is not at this step."))
    promise.refresh_from_db()
    return promise


# ---------------------------------------------------------------------------------------------
# S16, S19


@transaction.atomic
def send_to_qa(*, survey_round: SurveyRound, by: User) -> SurveyRound:
    """S16: one action sends the statistics table and the open letter to QA."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require(r.statistics_at is not None, _("Finish the statistics first (S9)."))
    require(r.letter_posted_at is not None or r.letter_waived, _("Post the open letter first (S15)."))
    require(r.sent_to_qa_at is None, _("Already sent to QA."))
    r.sent_to_qa_at = timezone.now()
    r.sent_to_qa_by = by
    r.save(update_fields=["sent_to_qa_at", "sent_to_qa_by"])
    tell(
        role=Role.QA_STAFF,
        survey_round=r,
        key="to_qa",
        title=gettext_noop("Statistics table and open letter of %(community)s %(period)s received (S16)"),
    )
    round_deadlines_sync(r)
    return r


@transaction.atomic
def qa_forward(*, survey_round: SurveyRound, by: User, summary: str) -> SurveyRound:
    """S16: QA compiles the issues and forwards them to the management representative for review."""
    require_office(by, survey_round)
    require_role(by, QA_ROLES, _("QA forwards the survey to the management representative (S16)."))
    require(bool(summary.strip()), _("Write the compiled issues."))
    r = _locked(survey_round)
    require(r.sent_to_qa_at is not None and r.qa_forwarded_at is None, _("The survey round is not at this step."))
    r.qa_forwarded_at = timezone.now()
    r.qa_forwarded_by = by
    r.qa_summary = summary.strip()
    r.save(update_fields=["qa_forwarded_at", "qa_forwarded_by", "qa_summary"])
    tell(
        role=Role.MGMT_REP,
        survey_round=r,
        key="to_mr",
        title=gettext_noop("Survey issues of %(community)s %(period)s compiled by QA for your review (S16)"),
    )
    return r


@transaction.atomic
def mr_review(*, survey_round: SurveyRound, by: User) -> None:
    require_office(by, survey_round)
    require_role(by, (Role.MGMT_REP,), _("The management representative reviews QA's report (S16)."))
    changed = SurveyRound.objects.filter(
        pk=survey_round.pk, qa_forwarded_at__isnull=False, mr_reviewed_at__isnull=True
    ).update(mr_reviewed_at=timezone.now())
    require(changed == 1, _("The survey round is not at this step."))


@transaction.atomic
def results_post(*, survey_round: SurveyRound, by: User) -> SurveyRound:
    """S19: the results go on the notice board (the public page and its poster)."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require(r.statistics_at is not None, _("Finish the statistics first (S9)."))
    require(r.results_posted_at is None, _("The results are already posted."))
    r.results_posted_at = timezone.now()
    r.save(update_fields=["results_posted_at"])
    round_deadlines_sync(r)
    return r
