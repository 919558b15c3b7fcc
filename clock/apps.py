from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "clock"
    verbose_name = _("Working time and deadlines")

    def ready(self) -> None:
        from estates.models import Role
        from estates.roles import grant

        # The clock grants its own permission (estates names no other app's): the company admin keeps
        # the working-time calendar.
        grant(Role.COMPANY_ADMIN, ["clock.manage_calendar"])
