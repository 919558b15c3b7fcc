"""S9 / S17 into the feedback app: every comment a resident wrote becomes an entry of the customer
communication register (F1) — opinions, and open-question answers as suggestions — and every item
with dissatisfied answers a corrective action (F2's kind, source "survey") for its department, which
the return visits of that item point to (S18). Idempotent: an entry's source key is the answer."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from estates.models import Department, User
from feedback.rules import ActionSource, Channel, Kind
from feedback.services import action_create, entry_create

from ..models import Answer, QuestionKind, ReturnVisit, SurveyRound
from ..rules import Level

ACTION_DAYS = 30  # S17: the department's corrective action is due a month after the statistics


def comments_to_register(*, survey_round: SurveyRound, by: User) -> int:
    """S9: every comment a resident wrote, one register entry each (F1)."""
    answers = (
        Answer.objects.filter(response__sample_unit__round=survey_round, response__sample_unit__active=True)
        .exclude(comment="")
        .select_related("question", "response__sample_unit__unit__building__community")
        .order_by("pk")
    )
    made = 0
    for answer in answers:
        unit = answer.response.sample_unit.unit
        received = min(answer.response.submitted_at, timezone.now())
        entry_create(
            office=survey_round.office,
            by=by,
            channel=Channel.SURVEY,
            kind=Kind.SUGGESTION if answer.question.kind == QuestionKind.OPEN else Kind.OPINION,
            content=f"{answer.question.text}：{answer.comment}",
            unit=unit,
            received_at=max(received, timezone.now() - datetime.timedelta(days=360)),
            source_key=f"survey-answer:{answer.pk}",
            hand_over_complaint=False,
        )
        made += 1
    return made


def _department(survey_round: SurveyRound, kind: str) -> Department | None:
    if not kind:
        return None
    return (
        Department.objects.filter(company_id=survey_round.office.company_id, kind=kind)
        .filter(Q(office=survey_round.office) | Q(office__isnull=True))
        .order_by("office_id")  # the office's own department before the company's
        .first()
    )


def nonconformities_raise(*, survey_round: SurveyRound, by: User) -> int:
    """S17: each item with dissatisfied answers becomes a corrective action for its department (a
    nonconformity), due in a month; the item's return visits point to it."""
    items = (
        Answer.objects.filter(
            response__sample_unit__round=survey_round, response__sample_unit__active=True, level=Level.DISSATISFIED
        )
        .values("question_id", "question__text", "question__department_kind")
        .annotate(n=Count("pk"))
        .order_by("question__position")
    )
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item in items:
            department = _department(survey_round, item["question__department_kind"])
            action = action_create(
                office=survey_round.office,
                by=by,
                title=_("Survey nonconformity: %(item)s (%(n)d dissatisfied)")
                % {"item": item["question__text"], "n": item["n"]},
                description=_("%(community)s %(period)s satisfaction survey (S17).")
                % {"community": survey_round.community.name, "period": survey_round.period_label},
                department=department,
                owner=None if department is not None else by,
                due_on=timezone.localdate() + datetime.timedelta(days=ACTION_DAYS),
                source=ActionSource.SURVEY,
            )
            ReturnVisit.objects.filter(round=survey_round, question_id=item["question_id"]).update(
                corrective_action_id=action.pk
            )
            made += 1
    return made
