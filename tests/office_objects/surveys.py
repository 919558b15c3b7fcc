"""Office objects of surveys (S1-S20) for the office-isolation test (see tests/office_objects/__init__.py)."""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone

from . import KWARGS, NOT_OFFICE_OBJECTS, Context, OfficeObject


def _survey_round(ctx: Context) -> Model:
    """A round of office A in hand-out and collection, with one answered unit (a dissatisfied item)."""
    from surveys.models import OpenLetter, RoundState, SurveyRound
    from surveys.services import default_questionnaire
    from tests.factories import UnitFactory

    unit = ctx.unit_a if ctx.unit_a.occupied else UnitFactory(building__community__office=ctx.office_a)
    survey_round = SurveyRound.objects.create(
        office=ctx.office_a,
        community=unit.building.community,
        year=2026,
        half=1,
        questionnaire=default_questionnaire(ctx.company),
        state=RoundState.FIELDWORK,
        purpose="了解满意度",
        targets="业主",
        content="服务",
        scope="抽样",
        schedule="三月",
        requirements="回访",
        author=ctx.frontdesk_a,
        policy="occupancy-age",
        required_size=1,
        seed="s",
        drawn_at=timezone.now(),
        forms_received_at=timezone.now(),
        closed_at=timezone.now(),
    )
    # Its open letter, a draft by the front desk of office A (the letter pages take the round's id).
    OpenLetter.objects.create(round=survey_round, title="公开信", body="正文", author=ctx.frontdesk_a)
    return survey_round


def _sample_unit(ctx: Context) -> Model:
    from surveys.models import SampleUnit

    survey_round = ctx.objects.get("round_id") or _survey_round(ctx)  # made first: URL order
    unit = survey_round.community.buildings.first().units.first()
    return SampleUnit.objects.get_or_create(round=survey_round, unit=unit, defaults={"building": unit.building})[0]


def _answered(ctx: Context):
    from surveys.models import Answer, Response

    su = _sample_unit(ctx)
    response, _created = Response.objects.get_or_create(
        sample_unit=su, defaults={"channel": "online", "submitted_at": timezone.now()}
    )
    question = su.round.questionnaire.questions.first()
    answer, _created = Answer.objects.get_or_create(response=response, question=question, defaults={"level": 4})
    return su, answer


def _promise(ctx: Context) -> Model:
    from surveys.models import OpenLetter, OpenLetterPromise

    letter = _survey_round(ctx).letter
    letter.state = OpenLetter.State.APPROVED
    letter.save()
    return OpenLetterPromise.objects.create(letter=letter, position=1, text="一个月内修复路灯")


def _return_visit(ctx: Context) -> Model:
    from surveys.models import ReturnVisit

    su, answer = _answered(ctx)
    return ReturnVisit.objects.create(round=su.round, sample_unit=su, question=answer.question, answer=answer)


# Namespaced: inspections names its own callback sample `sample_id` too.
KWARGS["surveys:round_id"] = OfficeObject(_survey_round)  # surveys: round pages, actions, sample, entry, letter
KWARGS["surveys:sample_id"] = OfficeObject(_sample_unit)  # surveys: swap, check, entry
KWARGS["surveys:promise_id"] = OfficeObject(_promise)  # surveys:promise_update
KWARGS["surveys:visit_id"] = OfficeObject(_return_visit)  # surveys:return_visit_record
NOT_OFFICE_OBJECTS.update(
    {
        "surveys:questionnaire_id": "a company-level questionnaire (F4): scoped by company, tested in tests/surveys",
        "surveys_public:token": "a resident's random answer link, no account: unknown, closed and used answer alike",
        "surveys_public:public_token": "a public results page for the notice board (S19): no personal data",
    }
)
