"""Settings for a developer's machine: `make dev` (runserver, DEBUG on). Never what an office runs."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, _bool

DEBUG = _bool("DJANGO_DEBUG", True)
# A fixed key is acceptable only here: a developer's machine. embedded.py generates one per install,
# production.py refuses anything short.
SECRET_KEY = SECRET_KEY or "local-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
