from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Customer communication")

    def ready(self) -> None:
        from clock.deadlines import register_rule
        from estates.models import COMPANY_ROLES, Role
        from estates.roles import grant

        from .rules import RULE_TITLES

        # The titles of our deadlines, rendered in the reader's language.
        for rule, title in RULE_TITLES.items():
            register_rule(rule, title, app=self.name)

        # Issue 9: the unit page lists the register's entries naming the unit (estates may not import us).
        from estates.unit_history import register as register_unit_history

        from .unit_history import PROVIDER as UNIT_HISTORY

        register_unit_history(UNIT_HISTORY)

        office_staff = [r for r in Role if r not in COMPANY_ROLES]
        # F1: every employee hears residents, so every role logs and sees its office's register;
        # the company roles (QA, management representative, assistant GM) read it across offices.
        for role in Role:
            grant(
                role,
                [
                    "feedback.view_entry",
                    "feedback.add_entry",
                    "feedback.view_outreach",
                    "feedback.view_monthlyarchive",
                    "feedback.view_correctiveaction",
                    "feedback.view_residentpage",
                ],
            )
        for role in office_staff:
            grant(role, ["feedback.change_entry", "feedback.add_outreach", "feedback.change_outreach"])
        # F2: the office writes its analysis and sets corrective actions; the office manager approves
        # (services.archive.may_approve); QA sets actions for its findings too (Q1).
        for role in (Role.OFFICE_MANAGER, Role.CS_ASSISTANT, Role.DEPT_MANAGER):
            grant(role, ["feedback.change_monthlyarchive", "feedback.add_correctiveaction"])
        for role in (Role.QA_STAFF, Role.QA_MANAGER):
            grant(role, ["feedback.add_correctiveaction", "feedback.change_entry"])
        for role in (Role.OFFICE_MANAGER, Role.FRONT_DESK, Role.CS_ASSISTANT):
            grant(role, ["feedback.change_residentpage"])
        grant(
            Role.OFFICE_MANAGER, ["feedback.view_statelabel", "feedback.add_statelabel", "feedback.change_statelabel"]
        )
        grant(Role.COMPANY_ADMIN, ["feedback.view_category", "feedback.add_category", "feedback.change_category"])

        # PIPL (issue 9): a resident's register entries in their personal-data export and erasure.
        from common.personal_data import register as register_personal_data

        from .services.privacy import PROVIDER

        register_personal_data(PROVIDER)

        try:
            from common.navigation import NavItem, register
        except ImportError:  # pragma: no cover - the web shell is always installed with us
            return
        register(
            NavItem(
                key="feedback",
                label=_("Register"),
                url_name="feedback:register",
                icon="bi-journal-text",
                permission="feedback.view_entry",
                order=25,
            )
        )
        register(
            NavItem(
                key="feedback_new",
                label=_("Log a contact"),
                url_name="feedback:create",
                icon="bi-chat-left-text",
                permission="feedback.add_entry",
                order=26,
                group="new",
            )
        )
