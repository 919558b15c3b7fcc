from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from .navigation import register_defaults

        register_defaults()
        from . import login_throttle  # noqa: F401 - connects the per-address failure counter
