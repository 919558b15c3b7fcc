"""Settings shared by every environment, read from the environment with django-environ.

Every value that comes from the environment is checked here, and a bad one stops start-up with
ImproperlyConfigured naming the variable (foundation issue, section 1).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# Everything an embedded install writes (database, queue, mail, secret key, backups). TINGJIAN_VAR_DIR
# moves it (tests run a whole embedded install in a temporary directory).
VAR_DIR = Path(env.str("TINGJIAN_VAR_DIR", default=str(BASE_DIR / "var")))


def _read(name: str, cast, default):
    """Read one variable; any parsing error names the variable."""
    try:
        return cast(name, default=default)
    except (ValueError, TypeError, KeyError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} has a bad value: {exc}") from exc


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    """A strict boolean: a typo such as DJANGO_DEBUG=ture stops start-up instead of meaning False."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} must be true or false")


def _url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = _read(name, env.str, default)
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must start with one of: " + ", ".join(s + "://" for s in schemes)
        )
    return value


DEBUG = _bool("DJANGO_DEBUG", False)
# production.py sets it: seed_demo refuses to run there.
TINGJIAN_PRODUCTION = False
SECRET_KEY = _read("DJANGO_SECRET_KEY", env.str, "")
ALLOWED_HOSTS = _read("DJANGO_ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1", "[::1]"])

# The base of every link and QR code the product prints: never the request's Host header.
SITE_URL = _url("SITE_URL", "http://localhost:8000", ("http", "https")).rstrip("/")
if not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"Environment variable SITE_URL={SITE_URL!r} has no host name")

# Database: embedded SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
_database_url = _url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql", "postgis"),
)
DATABASES = {"default": env.db_url_config(_database_url)}
# Every request that changes something runs in one transaction. The pages that only read (the complaint
# list, work log, return-visit queue, complaint page, dashboard: GET only, STYLE.md 9) opt out with
# `transaction.non_atomic_requests` (issue 10): on PostgreSQL (READ COMMITTED: every statement has its own
# snapshot, in a transaction or not) the transaction bought nothing but BEGIN and COMMIT round trips
# (0.8-2.7 ms a page measured under load); on SQLite (`transaction_mode` IMMEDIATE) it took the write
# lock for every page view, queueing the readers behind the worker's writes.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = _read("DJANGO_CONN_MAX_AGE", env.int, 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT off for the product's connections (issue 10). Our queries are short OLTP reads of one page;
    # PostgreSQL's JIT compiles when the planner's *cost* estimate passes jit_above_cost, and a page
    # query over a million rows with a LIMIT is often estimated expensive while it reads 26 rows.
    # Measured at 1M complaints (stock PostgreSQL 15, 2 shared cores, bench/RESULTS.md): the old list
    # query of page 2000 ran 5.2 s with JIT (43 functions compiled) and 1.5 s without; issue 10 saw
    # 1.4 s of 1.9 s spent compiling. DJANGO_PG_JIT=on gives it back to a database for analytics.
    if not _read("DJANGO_PG_JIT", env.bool, False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _read("REDIS_URL", env.str, "")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in ("redis", "rediss"):
    raise ImproperlyConfigured(f"Environment variable REDIS_URL={REDIS_URL!r} must start with redis://")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Email: files under var/mail unless EMAIL_URL names a server.
_email_url = _read("EMAIL_URL", env.str, "")
if _email_url:
    try:
        vars().update(env.email_url_config(_email_url))
    except Exception as exc:  # django-environ raises several kinds here
        raise ImproperlyConfigured(f"Environment variable EMAIL_URL has a bad value: {exc}") from exc
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = _read("DJANGO_DEFAULT_FROM_EMAIL", env.str, "tingjian@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The product's apps come first: an earlier app's translation catalogue takes precedence, and the
# product's words must win over Django admin's for the same English ("Filter" is 筛选 here, not 过滤器).
INSTALLED_APPS = [
    "common",
    "estates",
    "clock",
    "exports",
    "complaints",
    "feedback",
    "surveys",
    "inspections",
    "web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A body in any charset but UTF-8 gets the product's 400 page, not a 500 (hardening issue, item 7).
    "common.middleware.RequireUtf8Middleware",
    "common.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "estates.User"
AUTHENTICATION_BACKENDS = [
    # Login throttling: django-axes counts failures per user name and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = _read("AXES_FAILURE_LIMIT", env.int, 5)
AXES_COOLOFF_TIME = 0.25  # hours: a locked user may try again after 15 minutes
# A user name is locked only together with the address the failures came from: an attacker elsewhere
# cannot lock the real user out (hardening issue, item 3). Guessing is throttled per address as well
# (web.login_throttle: TINGJIAN_LOGIN_ADDRESS_LIMIT failures per address and window, any user names).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind TINGJIAN_PROXY_COUNT trusted reverse proxies (common.http.client_ip).
TINGJIAN_PROXY_COUNT = _read("TINGJIAN_PROXY_COUNT", env.int, 0)
if TINGJIAN_PROXY_COUNT < 0:
    raise ImproperlyConfigured("Environment variable TINGJIAN_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "common.http.client_ip"
TINGJIAN_LOGIN_ADDRESS_LIMIT = _read("TINGJIAN_LOGIN_ADDRESS_LIMIT", env.int, 20)

# Language and time: Simplified Chinese first, English second; rules and display in Shanghai time,
# UTC in the database.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _read("DJANGO_STATIC_ROOT", env.str, str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = _read("DJANGO_MEDIA_ROOT", env.str, str(VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through views that check access
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Attachments hold residents' photos and letters: readable by the service's user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# No request body above this is read at all (common.middleware.RequestSizeLimitMiddleware): a 60 MB upload
# used to be received completely before the 10 MB check refused it. Room for a few attachments at once.
TINGJIAN_MAX_REQUEST_BYTES = _read("TINGJIAN_MAX_REQUEST_BYTES", env.int, 32 * 1024 * 1024)

# Excel exports (issue 10): up to this many rows an export is built in the request; a larger one becomes a
# background job whose file arrives in the user's inbox (exports.views.xlsx_export). 5,000 rows take about
# 2 s to build here; far beyond, a request would near gunicorn's 30 s timeout.
TINGJIAN_EXPORT_INLINE_LIMIT = _read("TINGJIAN_EXPORT_INLINE_LIMIT", env.int, 5000)
# Days a background export's file is kept before the housekeeping task deletes it and its job.
TINGJIAN_EXPORT_KEEP_DAYS = _read("TINGJIAN_EXPORT_KEEP_DAYS", env.int, 7)
if TINGJIAN_EXPORT_INLINE_LIMIT < 0 or TINGJIAN_EXPORT_KEEP_DAYS < 1:
    raise ImproperlyConfigured("TINGJIAN_EXPORT_INLINE_LIMIT must be 0 or more and TINGJIAN_EXPORT_KEEP_DAYS 1 or more")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers that hold in every environment; production.py adds the HTTPS ones.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Sessions are read on every request. With Redis (an office server), `cached_db`: read from Redis, written
# to Redis and the database, so a Redis restart or eviction only costs a database read, never a login.
# Measured (issue 10, medium bench data, load 6): 0.55 ms a request instead of 1.3 ms. Who is logged in
# is still decided per request from the user row (password hash, is_active), so a changed password or a
# deactivated user ends a cached session as before. Without Redis (embedded) the database, as before.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy with no 'unsafe-inline': every script and style is a file under static/.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/, so that
# an office server with nothing but Python still enforces its deadlines.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    for _d in (_queue_dir, _processed_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Tokens in logged paths (a resident's survey link: "Not Found: /s/<token>/") written as [token].
    "filters": {"redact_tokens": {"()": "common.log_redaction.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
