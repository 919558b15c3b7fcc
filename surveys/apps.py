from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        from clock.deadlines import register_rule
        from estates.models import Role
        from estates.roles import grant

        from .rules import DEADLINE_TITLES

        # S5, S7, S9, S15, S16, S19: titles rendered in the reader's language.
        for rule, title in DEADLINE_TITLES.items():
            register_rule(rule, title, app=self.name)

        # Every staff role sees its offices' surveys; office staff run them (S5-S9); QA designs the
        # questionnaires (F4); the company approves plans (S1).
        for role in Role:
            grant(role, ["surveys.view_surveyround"])
        for role in (Role.FRONT_DESK, Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER, Role.QA_STAFF):
            grant(role, ["surveys.change_surveyround"])
        for role in (Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER):
            grant(role, ["surveys.add_surveyround"])
        for role in (Role.QA_STAFF, Role.QA_MANAGER):
            grant(role, ["surveys.manage_questionnaires", "surveys.view_questionnaire"])
        for role in (Role.QA_MANAGER, Role.ASSISTANT_GM):
            grant(role, ["surveys.approve_plan"])
        grant(Role.COMPANY_ADMIN, ["surveys.view_surveysettings", "surveys.change_surveysettings"])

        try:
            from common.navigation import NavItem, register
        except ImportError:  # pragma: no cover - the web shell is always installed with us
            return
        register(
            NavItem(
                key="surveys",
                label=_("Satisfaction surveys"),
                url_name="surveys:list",
                icon="bi-clipboard-check",
                permission="surveys.view_surveyround",
                order=40,
                short_label=pgettext_lazy("menu", "Surveys"),
            )
        )
