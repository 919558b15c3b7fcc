"""S1, S2: the plan JL/WI-KF-019/001 — drafted by the customer service supervisor, reviewed by the
office manager, approved by the company; the approver is never the author. S3, S4: the sample."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Community, Role, Unit, User
from estates.scoping import user_can_see_office

from .. import rules
from ..models import Questionnaire, RoundState, SampleUnit, SurveyRound
from .core import require, require_office, require_role, require_state
from .questionnaires import default_questionnaire, questionnaire_freeze, settings_for

DRAFTERS = (Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER)
PLAN_FIELDS = ("purpose", "targets", "content", "scope", "schedule", "requirements")


def current_half(today) -> tuple[int, int]:
    return today.year, 1 if today.month <= 6 else 2


def round_create(
    *,
    community: Community,
    by: User,
    year: int,
    half: int,
    questionnaire: Questionnaire | None = None,
    **plan: str,
) -> SurveyRound:
    """S1/S2: draft the plan of a community's round for a half year (one round per half year)."""
    require(user_can_see_office(by, community.office_id), _("This community is not in your offices."))
    require_role(by, DRAFTERS, _("The customer service supervisor drafts the survey plan (S1)."))
    require(half in (1, 2), _("Choose the first or the second half year."))
    company = community.office.company
    questionnaire = questionnaire or default_questionnaire(company)
    require(questionnaire.company_id == company.pk, _("Choose one of your company's questionnaires."))
    survey_round = SurveyRound(
        office=community.office,
        community=community,
        year=year,
        half=half,
        questionnaire=questionnaire,
        author=by,
        policy=settings_for(company).sample_policy,
        **{field: (plan.get(field) or "").strip() for field in PLAN_FIELDS},
    )
    survey_round.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            survey_round.save()
    except IntegrityError:
        require(False, _("This community already has a survey round for that half year (S2)."))
    return survey_round


def round_update_plan(*, survey_round: SurveyRound, by: User, **plan: str) -> SurveyRound:
    require_office(by, survey_round)
    require_state(survey_round, RoundState.DRAFT)
    require(by.pk == survey_round.author_id, _("Only the author edits a draft plan."))
    for field in PLAN_FIELDS:
        if field in plan:
            setattr(survey_round, field, (plan[field] or "").strip())
    survey_round.full_clean(validate_constraints=False)
    survey_round.save(update_fields=list(PLAN_FIELDS))
    return survey_round


def _move(survey_round: SurveyRound, from_state: str, **updates) -> None:
    # Compare-and-set: two managers clicking at once move the round once.
    moved = SurveyRound.objects.filter(pk=survey_round.pk, state=from_state).update(**updates)
    require(moved == 1, _("The survey round is not at this step."))
    survey_round.refresh_from_db()


def plan_submit(*, survey_round: SurveyRound, by: User) -> None:
    require_office(by, survey_round)
    require(by.pk == survey_round.author_id, _("Only the author submits the plan."))
    _move(survey_round, RoundState.DRAFT, state=RoundState.SUBMITTED, submitted_at=timezone.now(), returned_note="")


def plan_review(*, survey_round: SurveyRound, by: User) -> None:
    """S1: the office manager reviews."""
    require_office(by, survey_round)
    require_role(by, (Role.OFFICE_MANAGER,), _("The office manager reviews the plan (S1)."))
    _move(survey_round, RoundState.SUBMITTED, state=RoundState.REVIEWED, reviewed_by=by, reviewed_at=timezone.now())


def plan_approve(*, survey_round: SurveyRound, by: User) -> None:
    """S1: the company approves; never the plan's author. The questionnaire is frozen from here (F4)."""
    require_office(by, survey_round)
    require(by.has_perm("surveys.approve_plan"), _("The company approves the plan (S1)."))
    require(by.pk != survey_round.author_id, _("The author of a plan may not approve it."))
    with transaction.atomic():
        _move(survey_round, RoundState.REVIEWED, state=RoundState.APPROVED, approved_by=by, approved_at=timezone.now())
        questionnaire_freeze(survey_round.questionnaire)


def plan_return(*, survey_round: SurveyRound, by: User, note: str) -> None:
    """The reviewer or the approver sends the plan back to its author with a note."""
    require_office(by, survey_round)
    require(bool(note.strip()), _("Say what should change."))
    if survey_round.state == RoundState.SUBMITTED:
        require_role(by, (Role.OFFICE_MANAGER,), _("The office manager reviews the plan (S1)."))
    else:
        require(by.has_perm("surveys.approve_plan"), _("The company approves the plan (S1)."))
    _move(survey_round, survey_round.state, state=RoundState.DRAFT, returned_note=note.strip())


# ---------------------------------------------------------------------------------------------
# S3, S4: the sample


def _occupied_by_building(survey_round: SurveyRound) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = Unit.objects.filter(building__community=survey_round.community, occupied=True).values_list(
        "building_id", "pk"
    )
    for building_id, unit_id in rows:
        found.setdefault(building_id, []).append(unit_id)
    return found


def _missed_by_first_round(survey_round: SurveyRound, all_units: set[int]) -> set[int]:
    """Coverage (S3): units the year's first round did not reach, taken first by the second round."""
    if survey_round.policy != rules.POLICY_COVERAGE or survey_round.half != 2:
        return set()
    first = SurveyRound.objects.filter(community=survey_round.community, year=survey_round.year, half=1).first()
    if first is None:
        return set()
    covered = set(SampleUnit.objects.filter(round=first, active=True).values_list("unit_id", flat=True))
    return all_units - covered


def _stored(text) -> str:
    # Stored text in the product's language, whoever's request drew the sample.
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def required_size(survey_round: SurveyRound, on=None) -> rules.SampleSize:
    on = on or timezone.localdate()
    occupied = Unit.objects.filter(building__community=survey_round.community, occupied=True).count()
    community = survey_round.community
    return rules.sample_size_info(
        survey_round.policy,
        occupied_units=occupied,
        households=community.households,
        occupied_since=community.occupied_on,
        on=on,
    )


@transaction.atomic
def sample_draw(*, survey_round: SurveyRound, by: User, seed: str | None = None) -> list[SampleUnit]:
    """S3/S4: draw the sample once, after approval, recording the seed so it can be redrawn exactly."""
    require_office(by, survey_round)
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    require_state(survey_round, RoundState.APPROVED)
    require(survey_round.drawn_at is None, _("The sample has already been drawn."))
    by_building = _occupied_by_building(survey_round)
    size = required_size(survey_round)
    seed = seed or secrets.token_hex(16)
    all_units = {u for units in by_building.values() for u in units}
    chosen = rules.draw_sample(by_building, size.size, seed, first=_missed_by_first_round(survey_round, all_units))
    building_of = {u: b for b, units in by_building.items() for u in units}
    double = set(rules.double_entry_pick(chosen, settings_for(survey_round.office.company).double_entry, seed))
    SampleUnit.objects.bulk_create(
        SampleUnit(round=survey_round, unit_id=u, building_id=building_of[u], second_entry=u in double) for u in chosen
    )
    SurveyRound.objects.filter(pk=survey_round.pk).update(
        required_size=size.size,
        size_reason=_stored(size.reason)[:200],
        seed=seed,
        drawn_at=timezone.now(),
        drawn_by=by,
    )
    return list(SampleUnit.objects.filter(round=survey_round))


@transaction.atomic
def sample_swap(*, sample_unit: SampleUnit, by: User, replacement: Unit, reason: str) -> SampleUnit:
    """S4: staff swap an unreachable unit for another occupied unit in the same building, with a reason."""
    survey_round = sample_unit.round
    require_office(by, survey_round)
    require_state(survey_round, RoundState.APPROVED, RoundState.FIELDWORK)
    require(bool(reason.strip()), _("Give the reason for the swap."))
    require(sample_unit.active and not hasattr(sample_unit, "response"), _("Only an unanswered unit can be swapped."))
    require(replacement.building_id == sample_unit.building_id, _("Swap for a unit in the same building (S4)."))
    require(replacement.occupied, _("Swap for an occupied unit."))
    require(
        not SampleUnit.objects.filter(round=survey_round, unit=replacement).exists(),
        _("That unit is already in the sample."),
    )
    new = SampleUnit.objects.create(
        round=survey_round, unit=replacement, building_id=replacement.building_id, second_entry=sample_unit.second_entry
    )
    changed = SampleUnit.objects.filter(pk=sample_unit.pk, active=True).update(
        active=False, swapped_for=new, swap_reason=reason.strip()[:200]
    )
    require(changed == 1, _("Only an unanswered unit can be swapped."))
    return new


def half_year_reminders(today=None) -> int:
    """S2: tell each office's customer service supervisors (department managers) once per half year
    about each community that has no survey round yet; idempotent (one notification key each)."""
    from django.utils.translation import gettext_noop

    from .core import tell_office

    today = today or timezone.localdate()
    due = rules.half_year_to_remind(today)
    if due is None:
        return 0
    year, half = due
    missing = Community.objects.exclude(survey_rounds__year=year, survey_rounds__half=half).select_related("office")
    sent = 0
    for community in missing:
        sent += tell_office(
            office=community.office,
            role=Role.DEPT_MANAGER,
            key=f"survey-due:{community.pk}:{year}H{half}",
            title=gettext_noop("No satisfaction survey yet for %(community)s this half year (S2)"),
            params={"community": community.name},
            link="/surveys/new/",
        )
    return sent
