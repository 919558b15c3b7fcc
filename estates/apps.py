from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "estates"
    verbose_name = _("Estates and staff")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import roles

        # Role groups and their permissions are kept in code (roles.py) and synced after every migrate.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="estates.sync_role_groups")
