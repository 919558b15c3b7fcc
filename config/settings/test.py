"""Settings for the test suite: SQLite in memory unless DATABASE_URL is set (CI's second leg)."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = False
MEDIA_ROOT = str(VAR_DIR / "test-media")
AXES_ENABLED = True
