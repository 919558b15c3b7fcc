from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("QA inspections")

    def ready(self) -> None:
        from clock.deadlines import register_rule
        from estates.models import Role
        from estates.roles import grant

        from . import figures  # noqa: F401  (registers the figure providers)
        from .rules import RULE_TITLES

        for rule, title in RULE_TITLES.items():
            register_rule(rule, title, app=self.name)

        office_staff = (Role.FRONT_DESK, Role.CS_ASSISTANT, Role.DEPT_MANAGER, Role.OFFICE_MANAGER)
        # Q1: every role reads its offices' checks (the office sees its findings and actions).
        for role in Role:
            grant(role, ["inspections.view_check", "inspections.view_serviceoffering"])
        # Q1-Q3: QA runs checks, keeps the standard, calls back; the management representative and
        # the assistant GM read the company comparison.
        qa = [
            "inspections.change_check",
            "inspections.view_checkstandard",
            "inspections.change_checkstandard",
            "inspections.add_checkstandard",
            "inspections.view_callbacksample",
            "inspections.add_callbacksample",
            "inspections.change_callbackitem",
            "inspections.view_repairrecord",
        ]
        for role in (Role.QA_STAFF, Role.QA_MANAGER):
            grant(role, qa)
        for role in (Role.MGMT_REP, Role.ASSISTANT_GM):
            grant(role, ["inspections.view_checkstandard", "inspections.view_repairrecord"])
        # Q4/Q5: the office keeps its repair records, return visits and service catalogue.
        for role in office_staff:
            grant(
                role, ["inspections.view_repairrecord", "inspections.add_repairrecord", "inspections.add_repairvisit"]
            )
        for role in (Role.CS_ASSISTANT, Role.OFFICE_MANAGER, Role.DEPT_MANAGER):
            grant(role, ["inspections.add_serviceoffering", "inspections.change_serviceoffering"])
        grant(Role.COMPANY_ADMIN, ["inspections.view_inspectionsettings", "inspections.change_inspectionsettings"])

        try:
            from common.navigation import NavItem, register
        except ImportError:  # pragma: no cover - the web shell is always installed with us
            return
        register(
            NavItem(
                key="inspections",
                label=_("QA checks"),
                url_name="inspections:check_list",
                icon="bi-clipboard-check",
                permission="inspections.view_check",
                order=60,
            )
        )
        register(
            NavItem(
                key="inspections_repairs",
                label=_("Repair return visits"),
                url_name="inspections:repair_list",
                icon="bi-tools",
                permission="inspections.view_repairrecord",
                order=61,
                group="more",
            )
        )
        register(
            NavItem(
                key="inspections_services",
                label=_("Service catalogue"),
                url_name="inspections:offering_list",
                icon="bi-card-list",
                permission="inspections.view_serviceoffering",
                order=62,
                group="more",
            )
        )
