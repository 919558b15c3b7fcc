"""Foundation §1 and §7: configuration is checked at start-up; production passes check --deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(env)
    return subprocess.run(  # noqa: S603 — a fixed argv: this interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SITE_URL", "ftp://files.example.com"),
        ("SITE_URL", "not a url"),
        ("DATABASE_URL", "mysqlx://nowhere"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("DJANGO_DEBUG", "ture"),
        ("AXES_FAILURE_LIMIT", "five"),
    ],
)
def test_bad_environment_value_stops_startup_naming_it(name, value):
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.local", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_refuses_a_missing_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_check_deploy_is_clean():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="tingjian.example.com",
        SITE_URL="https://tingjian.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _print_settings(*names: str, **env: str) -> list[str]:
    code = "from django.conf import settings as s; print(" + ", ".join(f"s.{n}" for n in names) + ", sep='|')"
    result = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_embedded_default_is_sqlite_filesystem_broker_and_file_email():
    engine, broker, email = _print_settings(
        "DATABASES['default']['ENGINE']", "CELERY_BROKER_URL", "EMAIL_BACKEND", EMAIL_URL=""
    )
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert email == "django.core.mail.backends.filebased.EmailBackend"


def test_redis_url_makes_redis_the_broker_and_cache_and_database_url_postgres():
    engine, broker, cache = _print_settings(
        "DATABASES['default']['ENGINE']",
        "CELERY_BROKER_URL",
        "CACHES['default']['BACKEND']",
        DATABASE_URL="postgres://u@db.example:5432/tj",
        REDIS_URL="redis://cache.example:6379/1",
    )
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache.example:6379/1"
    assert cache == "django.core.cache.backends.redis.RedisCache"


def test_production_redirects_to_https_except_the_health_probe():
    code = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz', HTTP_HOST='tingjian.example.com').status_code, "
        "c.get('/accounts/login/', HTTP_HOST='tingjian.example.com').status_code)"
    )
    result = _manage(
        "shell",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="tingjian.example.com",
        SITE_URL="https://tingjian.example.com",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stderr
    healthz, login = result.stdout.strip().splitlines()[-1].split()
    assert login == "301"
    assert healthz != "301"


def _production_settings(*names: str, **env: str) -> list[str]:
    code = "from django.conf import settings as s; print(" + ", ".join(f"s.{n}" for n in names) + ", sep='|')"
    result = _manage(
        "shell",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="tingjian.example.com",
        SITE_URL="https://tingjian.example.com",
        DATABASE_URL="sqlite:///:memory:",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_hsts_subdomains_and_preload_are_opt_in():
    """On-premises installs on a corporate domain: HSTS covers this host only unless asked."""
    assert _production_settings("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD") == ["False", "False"]
    assert _production_settings(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    ) == ["True", "True"]


@pytest.mark.parametrize(("jit", "expected"), [("", "-c jit=off"), ("on", None)])
def test_postgres_connections_run_without_jit_unless_asked(jit, expected):
    # Issue 10: JIT compiles page queries whose cost estimate is high while they read one page.
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    if jit:
        env["DJANGO_PG_JIT"] = jit
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(expected)
