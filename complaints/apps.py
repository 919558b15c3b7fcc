from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from clock.deadlines import register_rule, register_subject_hook
        from clock.signals import calendar_changed
        from estates.models import Role
        from estates.roles import grant

        from .hooks import after_deadlines
        from .models import Complaint
        from .rules import RULE_TITLES

        # Issue 10: the complaint row keeps its next due time and search column for the list.
        register_subject_hook(Complaint, after_deadlines)

        # The titles of our deadlines, rendered in the reader's language (issue 6 section 6).
        for rule, title in RULE_TITLES.items():
            register_rule(rule, title, app=self.name)
        # C3's plan depends on the calendar: re-plan when the company admin changes it.
        from .services import complaints_calendar_changed

        calendar_changed.connect(complaints_calendar_changed, dispatch_uid="complaints.c3_replan")

        # PIPL (issue 9): a resident's complaints in their personal-data export and erasure.
        from common.personal_data import register as register_personal_data

        from .services.privacy import PROVIDER

        register_personal_data(PROVIDER)

        # Issue 9: the unit page lists the unit's past complaints (estates may not import us).
        from estates.unit_history import register as register_unit_history

        from .unit_history import PROVIDER as UNIT_HISTORY

        register_unit_history(UNIT_HISTORY)

        # C13: every employee who hears of a complaint passes it on, so every role may log one and
        # see its office's complaints; what each may do to a complaint is rules.TRANSITIONS.
        for role in Role:
            grant(role, ["complaints.view_complaint", "complaints.add_complaint"])
            if role != Role.COMPANY_ADMIN:
                grant(role, ["complaints.change_complaint"])
        grant(Role.COMPANY_ADMIN, ["complaints.view_complaintsettings", "complaints.change_complaintsettings"])

        try:
            from common.navigation import NavItem, register
        except ImportError:  # pragma: no cover - the web shell is always installed with us
            return
        register(
            NavItem(
                key="complaints",
                label=_("Complaints"),
                url_name="complaints:list",
                icon="bi-megaphone",
                permission="complaints.view_complaint",
                order=30,
            )
        )
        register(
            NavItem(
                key="complaints_new",
                label=_("Log a complaint"),
                url_name="complaints:create",
                icon="bi-telephone-plus",
                permission="complaints.add_complaint",
                order=31,
                group="new",
            )
        )
