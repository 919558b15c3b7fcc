"""Hardening issue, operations: what `make run` leaves running on an office's machine is safe.

A whole embedded install runs in a temporary var/ directory (TINGJIAN_VAR_DIR), started the way the
Makefile and the Procfile start it, without DJANGO_SETTINGS_MODULE.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_DROP = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(extra)
    return env


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "manage.py", *args], env)


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """An embedded install: migrated, demo loaded with --if-empty, static files collected (make run)."""
    var = tmp_path_factory.mktemp("var")
    env = _env(TINGJIAN_VAR_DIR=str(var), DJANGO_STATIC_ROOT=str(var / "static"))
    for args in (
        ("migrate", "--noinput"),
        ("seed_demo", "--if-empty", "--quiet"),
        ("collectstatic", "--noinput", "--verbosity", "0"),
    ):
        result = _manage(env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    return var, env


def _shell(env: dict[str, str], code: str) -> str:
    result = _manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_embedded_is_the_default_with_debug_off_and_a_generated_secret_kept_under_var(install):
    var, env = install
    line = _shell(env, "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG, s.SECRET_KEY)")
    module, debug, key = line.split(" ", 2)
    assert module == "config.settings.embedded"
    assert debug == "False"
    key_file = var / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "local-only-insecure" not in key
    # The database with residents' phones is not readable by other users of the machine.
    assert stat.S_IMODE((var / "db.sqlite3").stat().st_mode) & 0o007 == 0
    # The same key on the next start (sessions survive a restart).
    assert _shell(env, "from django.conf import settings as s; print(s.SECRET_KEY)") == key


def test_embedded_404_is_the_products_page_with_the_demo_ribbon(install):
    _var, env = install
    code = (
        "from django.test import Client; r = Client(HTTP_HOST='localhost').get('/no-such-page/'); "
        "t = r.content.decode(); "
        "print(r.status_code, 'data-demo-ribbon' in t, 'URLconf' in t, 'tj-error' in t)"
    )
    assert _shell(env, code) == "404 True False True"


def test_wsgi_and_celery_follow_the_same_settings_rule(install):
    """A worker started without DJANGO_SETTINGS_MODULE uses the same settings (and database) as the web."""
    _var, env = install
    probe = "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DATABASES['default']['NAME'])"
    wsgi = _run([sys.executable, "-c", "import config.wsgi; " + probe], env)
    load = "from config.celery import app; app.loader.import_default_modules(); "
    celery = _run([sys.executable, "-c", load + probe], env)
    assert wsgi.returncode == 0 and celery.returncode == 0, wsgi.stderr + celery.stderr
    assert wsgi.stdout.strip().splitlines()[-1] == celery.stdout.strip().splitlines()[-1]
    assert wsgi.stdout.strip().splitlines()[-1].startswith("config.settings.embedded ")


def test_seed_demo_refuses_production_settings(tmp_path):
    env = _env(
        TINGJIAN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="tingjian.example.com",
        SITE_URL="https://tingjian.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = _manage(env, "seed_demo")
    assert result.returncode != 0
    assert "CommandError" in result.stderr or "production" in result.stderr


LINK_TOKEN = "Xq3v9-kLm_2ZpR7wT0aBcDeFgHiJkLmNoPqRsTuVwXy"  # the shape of secrets.token_urlsafe(32)


def test_access_log_token_pattern_spares_every_path_word_of_the_product():
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    from common.log_redaction import redact_path

    words = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            else:
                words.update(w for w in route.split("/") if w and "<" not in w and "^" not in w)

    walk(get_resolver().url_patterns)
    assert len(words) > 50
    assert [w for w in words if redact_path(f"/{w}/") != f"/{w}/"] == []
    assert redact_path(f"/s/{LINK_TOKEN}/") == "/s/[token]/"
    assert redact_path("/exports/0b7c3c1e-4a8f-4b1e-9d3a-2f6c8e9a1b2c/") == "/exports/[token]/"
    assert redact_path("/complaints/TS-2026-000123/") == "/complaints/TS-2026-000123/"  # 14: not a token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_binds_localhost_and_logs_no_query_string_or_referer(install):
    """Access logs never carry a resident's phone from a search URL (hardening issue, operations), nor
    the token of a resident's private survey link (issue 10's load run found it there)."""
    _var, env = install
    port = _free_port()
    env = {**env, "TINGJIAN_BIND": f"127.0.0.1:{port}", "TINGJIAN_WORKERS": "1"}
    proc = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/estates/residents/search/?q=13800138000"
        request = urllib.request.Request(url, headers={"Referer": f"http://127.0.0.1:{port}/?phone=13900139000"})
        for _ in range(100):
            try:
                # The worker loads Django on its first request: seconds on a busy 2-core machine.
                urllib.request.urlopen(request, timeout=60)  # noqa: S310 - a local test server
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        with contextlib.suppress(urllib.error.HTTPError):  # an unknown link: 404, logged all the same
            urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{LINK_TOKEN}/", timeout=60)  # noqa: S310
        time.sleep(0.5)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "/estates/residents/search/" in output, output
    assert "/s/[token]/" in output and LINK_TOKEN not in output
    assert "13800138000" not in output
    assert "13900139000" not in output
    assert f"Listening at: http://127.0.0.1:{port}" in output
