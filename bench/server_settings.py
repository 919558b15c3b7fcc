"""The settings gunicorn runs with under bench.load: what bench.run uses in its own process —
config.settings.local with DJANGO_DEBUG=0 — and, as bench.run sets with override_settings, static
files unhashed (the bench runs no collectstatic; the manifest storage would fail every page)."""

from config.settings.local import *  # noqa: F403
from config.settings.local import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
