from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    # An app only so its templates (common/_pagination.html) and catalogue are found; it has no models.
    name = "common"
    verbose_name = _("Common helpers")
