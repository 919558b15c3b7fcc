"""Settings for an office's production server: PostgreSQL, Redis, gunicorn, workers, one beat."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, _bool, _read, env

if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Environment variable DJANGO_SECRET_KEY must be set to a random value of at least 50 characters"
    )

DEBUG = _bool("DJANGO_DEBUG", False)
# seed_demo refuses to run under these settings: demo logins have a published password.
TINGJIAN_PRODUCTION = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The load balancer / monitoring probe calls /healthz/ over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SESSION_COOKIE_SECURE = _bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = _read("DJANGO_SECURE_HSTS_SECONDS", env.int, 60 * 60 * 24 * 365)
# Opt-in: an on-premises install on a corporate domain must not force HTTPS on every sibling host
# (includeSubDomains) nor ask browsers to hard-code the domain (preload).
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# check --deploy warns when either is off; off is the deliberate default here, so `make check-deploy`
# (CI) stays clean at --fail-level WARNING.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
CSRF_TRUSTED_ORIGINS = _read("DJANGO_CSRF_TRUSTED_ORIGINS", env.list, [])
