"""The small core every survey service uses: permission checks, the round's deadline sync, and
notifications. Deadlines are declared by rules.deadline_plan and made live here only (DESIGN.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clock.deadlines import deadline_sync
from clock.services import notify, users_for_role
from estates.models import Role, User
from estates.scoping import user_can_see_office

from .. import rules
from ..models import SurveyRound
from ..rules import stored_period_text

OFFICE_STAFF = (Role.FRONT_DESK, Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER)
MANAGERS = (Role.DEPT_MANAGER, Role.OFFICE_MANAGER)
QA_ROLES = (Role.QA_STAFF, Role.QA_MANAGER)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def require_office(user: User, survey_round: SurveyRound) -> None:
    require(user_can_see_office(user, survey_round.office_id), _("This survey is not in your offices."))


def require_role(user: User, roles, message: str | None = None) -> None:
    require(user.role in roles, message or _("Your role may not do this."))


def require_state(survey_round: SurveyRound, *states: str) -> None:
    require(survey_round.state in states, _("The survey round is not at this step."))


def round_deadlines_sync(survey_round: SurveyRound) -> None:
    """Make the round's live deadlines what `rules.deadline_plan` says (clock.deadlines). Called once
    at the end of every state change, in its transaction."""
    deadline_sync(survey_round, rules.deadline_plan(survey_round), done=rules.done_rules(survey_round))


def tell(*, role: str, survey_round: SurveyRound, key: str, title: str) -> None:
    """Notify the holders of `role` for the round's office (company roles: in its company). `title`
    is an untranslated msgid with %(community)s and %(period)s, shown in each reader's language."""
    notify(
        recipients=users_for_role(role=role, office=survey_round.office),
        key=f"survey:{survey_round.pk}:{key}",
        title=title,
        link=survey_round.get_absolute_url(),
        params={
            "community": survey_round.community.name,
            "period": stored_period_text(survey_round.year, survey_round.half),
        },
    )


def tell_office(*, office, role: str, key: str, title: str, params: dict, link: str = "") -> int:
    """Notify the holders of `role` in `office` once per key (title: an untranslated msgid rendered
    with `params` in each reader's language); how many were told."""
    users = users_for_role(role=role, office=office)
    return len(notify(recipients=users, key=key, title=title, link=link, params=params))
