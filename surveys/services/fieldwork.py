"""S5-S8: forms received from QA, hand-out per unit and channel, collection, answers online and on
paper (with proxy answers capped and optional double entry), the phone checks, closing collection."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import User

from .. import rules
from ..models import (
    Answer,
    Channel,
    Collection,
    Question,
    QuestionKind,
    Response,
    RoundState,
    SampleUnit,
    SecondEntry,
    SurveyRound,
    UnreturnedCheck,
)
from .core import MANAGERS, require, require_office, require_role, require_state, round_deadlines_sync
from .questionnaires import settings_for

MIN_PHONE_CHECKS = 2  # staff verify 2-3 unreturned units by phone before closing (issue 12)


def _locked(survey_round: SurveyRound) -> SurveyRound:
    return SurveyRound.objects.select_for_update().select_related("office", "community").get(pk=survey_round.pk)


@transaction.atomic
def forms_received(*, survey_round: SurveyRound, by: User, at: datetime.datetime | None = None) -> SurveyRound:
    """S5 starts: the office received the printed forms from QA. Nothing is handed out before this,
    and this needs an approved plan with a drawn sample (S1)."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.APPROVED)
    require(r.drawn_at is not None, _("Draw the sample first."))
    at = at or timezone.now()
    require(at <= timezone.now(), _("That moment is in the future."))
    r.state = RoundState.FIELDWORK
    r.forms_received_at = at
    r.save(update_fields=["state", "forms_received_at"])
    round_deadlines_sync(r)
    return r


def _maybe_handout_done(r: SurveyRound) -> None:
    if r.handout_done_at is None and not r.sample.filter(active=True, handed_out_at__isnull=True).exists():
        r.handout_done_at = timezone.now()
        r.save(update_fields=["handout_done_at"])


@transaction.atomic
def handout_record(*, survey_round: SurveyRound, by: User, sample_units: Iterable[SampleUnit], channel: str) -> int:
    """S5/S6: forms handed out, per unit and channel. Owners who live elsewhere get phone or mail."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.FIELDWORK)
    require(channel in Channel.values, _("Choose how the form was handed out."))
    now = timezone.now()
    count = 0
    for su in sample_units:
        require(su.round_id == r.pk and su.active, _("That unit is not in this sample."))
        if channel == Channel.DOOR:
            require(
                not su.unit.owner_absent,
                _("The owner of %(unit)s lives elsewhere: hand out by phone, mail or link (S6).") % {"unit": su.unit},
            )
        count += SampleUnit.objects.filter(pk=su.pk, handed_out_at__isnull=True).update(
            handed_out_at=now, handout_channel=channel, handed_out_by=by
        )
    _maybe_handout_done(r)
    round_deadlines_sync(r)
    return count


@transaction.atomic
def handout_finish(*, survey_round: SurveyRound, by: User) -> SurveyRound:
    """Hand-out is over (units that could not be reached stay unhanded); S7 starts."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.FIELDWORK)
    require(r.sample.filter(handed_out_at__isnull=False).exists(), _("No form has been handed out yet."))
    if r.handout_done_at is None:
        r.handout_done_at = timezone.now()
        r.save(update_fields=["handout_done_at"])
    round_deadlines_sync(r)
    return r


@transaction.atomic
def collect_record(*, survey_round: SurveyRound, by: User, sample_units: Iterable[SampleUnit], channel: str) -> int:
    """S7: paper forms came back (staff, the guard booth's daily batch, mail); keyed later."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.FIELDWORK)
    require(channel in (Collection.STAFF, Collection.GUARD, Collection.MAIL), _("Choose how the form came back."))
    now = timezone.now()
    count = 0
    for su in sample_units:
        require(su.round_id == r.pk and su.active, _("That unit is not in this sample."))
        count += SampleUnit.objects.filter(pk=su.pk, collected_at__isnull=True).update(
            collected_at=now, collection=channel, collected_by=by
        )
    return count


def _clean_answers(questions: list[Question], levels: Mapping[int, int | None], comments: Mapping[int, str]):
    answers = []
    for q in questions:
        level = levels.get(q.pk) if q.kind == QuestionKind.ITEM else None
        require(level is None or level in rules.Level.values, _("An answer level is not valid."))
        comment = (comments.get(q.pk) or "").strip()[:1000]
        if level is None and not comment:
            continue  # a blank answer: left out of the rate (S10)
        answers.append(Answer(question=q, level=level, comment=comment))
    return answers


def _response_create(
    *,
    su: SampleUnit,
    channel: str,
    levels: Mapping[int, int | None],
    comments: Mapping[int, str],
    by: User | None,
) -> Response:
    questions = list(su.round.questionnaire.questions.all())
    answers = _clean_answers(questions, levels, comments)
    now = timezone.now()
    try:
        # The OneToOne on the sampled unit is the guard: two tabs or two phones at once make one row.
        with transaction.atomic():
            response = Response.objects.create(
                sample_unit=su, channel=channel, proxy=channel == Collection.PHONE, entered_by=by, submitted_at=now
            )
            for a in answers:
                a.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        require(False, _("This unit has already answered; the first answer is kept."))
    SampleUnit.objects.filter(pk=su.pk, collected_at__isnull=True).update(
        collected_at=now, collection=channel, collected_by=by
    )
    SampleUnit.objects.filter(pk=su.pk, handed_out_at__isnull=True).update(
        handed_out_at=now, handout_channel=Channel.PHONE if channel == Collection.PHONE else Channel.LINK
    )
    return response


def open_sample_unit(token: str) -> SampleUnit | None:
    """The sampled unit behind a resident's link if it may still answer; None for an unknown,
    closed or used token alike (the caller answers them the same way)."""
    su = (
        SampleUnit.objects.select_related("round__questionnaire", "round__community", "unit__building")
        .filter(token=token, active=True, round__state=RoundState.FIELDWORK, response__isnull=True)
        .first()
    )
    return su


@transaction.atomic
def response_submit_online(*, token: str, levels: Mapping[int, int | None], comments: Mapping[int, str]) -> Response:
    """S7: a resident answers through the unit's private link, with no account."""
    su = open_sample_unit(token)
    require(su is not None, _("This link cannot take an answer."))
    return _response_create(su=su, channel=Collection.ONLINE, levels=levels, comments=comments, by=None)


@transaction.atomic
def response_enter(
    *,
    sample_unit: SampleUnit,
    by: User,
    channel: str,
    levels: Mapping[int, int | None],
    comments: Mapping[int, str],
) -> Response:
    """S7: staff key a paper form, or take an answer by phone (a proxy answer, capped)."""
    r = _locked(sample_unit.round)
    require_office(by, r)
    require_state(r, RoundState.FIELDWORK)
    require(sample_unit.active and sample_unit.round_id == r.pk, _("That unit is not in this sample."))
    require(channel in (Collection.STAFF, Collection.GUARD, Collection.MAIL, Collection.PHONE), _("Choose a channel."))
    if channel == Collection.PHONE:
        cap = rules.proxy_cap(r.sample.filter(active=True).count(), settings_for(r.office.company).proxy_cap)
        used = Response.objects.filter(sample_unit__round=r, proxy=True).count()
        require(used < cap, _("Phone answers taken by staff are capped at %(cap)d for this sample.") % {"cap": cap})
    sample_unit.round = r
    return _response_create(su=sample_unit, channel=channel, levels=levels, comments=comments, by=by)


@transaction.atomic
def second_entry_save(*, sample_unit: SampleUnit, by: User, levels: Mapping[int, int | None]) -> SecondEntry:
    """Double entry: another user keys the same paper form; differences are listed for correction."""
    require_office(by, sample_unit.round)
    response = Response.objects.filter(sample_unit=sample_unit).first()
    require(response is not None, _("Key the form once before the second entry."))
    require(response.entered_by_id != by.pk, _("The second entry is made by another user."))
    entry, _created = SecondEntry.objects.update_or_create(
        sample_unit=sample_unit,
        defaults={
            "entered_by": by,
            "entered_at": timezone.now(),
            "levels": {str(k): v for k, v in levels.items()},
            "resolved_at": None,
        },
    )
    return entry


@transaction.atomic
def answer_correct(*, response: Response, by: User, question: Question, level: int | None) -> None:
    """Correct one keyed level after a double-entry difference."""
    require_office(by, response.sample_unit.round)
    require_state(response.sample_unit.round, RoundState.FIELDWORK)
    require(level is None or level in rules.Level.values, _("An answer level is not valid."))
    Answer.objects.update_or_create(response=response, question=question, defaults={"level": level})


@transaction.atomic
def unreturned_check(*, sample_unit: SampleUnit, by: User, note: str) -> UnreturnedCheck:
    require_office(by, sample_unit.round)
    require(not Response.objects.filter(sample_unit=sample_unit).exists(), _("This unit has answered."))
    require(bool(note.strip()), _("Note what the resident said."))
    return UnreturnedCheck.objects.create(
        sample_unit=sample_unit, checked_by=by, checked_at=timezone.now(), note=note.strip()[:200]
    )


@transaction.atomic
def collection_close(*, survey_round: SurveyRound, by: User, reason: str = "") -> SurveyRound:
    """S8: close collection. Below the company's threshold only a manager may close, with a recorded
    reason; staff first verify 2-3 unreturned units by phone."""
    require_office(by, survey_round)
    r = _locked(survey_round)
    require_state(r, RoundState.FIELDWORK)
    handed = r.sample.filter(active=True, handed_out_at__isnull=False).count()
    returned = Response.objects.filter(sample_unit__round=r, sample_unit__active=True).count()
    unreturned = r.sample.filter(active=True, response__isnull=True).count()
    checks = UnreturnedCheck.objects.filter(sample_unit__round=r).values("sample_unit").distinct().count()
    require(
        checks >= min(MIN_PHONE_CHECKS, unreturned),
        _("Verify at least 2 unreturned units by phone before closing."),
    )
    rate = rules.return_rate(returned, handed)
    threshold = settings_for(r.office.company).return_threshold
    reason = reason.strip()
    if rate is None or rate < threshold:
        require_role(by, MANAGERS, _("The return rate is below the threshold: a manager closes collection (S8)."))
        require(bool(reason), _("The return rate is below the threshold: record the reason (S8)."))
    r.state = RoundState.CLOSED
    r.closed_at = timezone.now()
    r.closed_by = by
    r.close_reason = reason
    if r.handout_done_at is None:
        r.handout_done_at = r.closed_at
    r.save(update_fields=["state", "closed_at", "closed_by", "close_reason", "handout_done_at"])
    round_deadlines_sync(r)
    return r
