"""The one rule for choosing the settings module, shared by manage.py, the WSGI app and the Celery app.

An explicit DJANGO_SETTINGS_MODULE always wins. Without it every entry point uses the same default,
the embedded settings (DEBUG off, SQLite under var/), so a web process and a Celery worker started the
same way always share one database (hardening issue: a worker without the variable used to sweep
var/db.sqlite3 while WSGI served production). Developers use `make dev` (config.settings.local),
production exports config.settings.production (README).
"""

from __future__ import annotations

import os

DEFAULT_SETTINGS_MODULE = "config.settings.embedded"


def use_settings() -> str:
    """Set DJANGO_SETTINGS_MODULE to the default unless it is set; answer the module in use."""
    return os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
