"""Settings for a developer's or an office's own machine: `make run`."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, _bool

DEBUG = _bool("DJANGO_DEBUG", True)
# A fixed key is acceptable only here: local runs on a developer's machine. production.py refuses it.
SECRET_KEY = SECRET_KEY or "local-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
