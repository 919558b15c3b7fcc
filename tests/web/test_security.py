"""Security baseline of the shell (foundation issue 7): CSP without 'unsafe-inline' and templates that
need none, generic error pages, and the health check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "var", ".git", "test-artifacts"}

# <script> without a src (an inline script); JSON data blocks (json_script) are not executed and allowed.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def project_templates() -> list[Path]:
    """Every template of the project: templates/ and each app's templates/, now and in the future."""
    found = []
    for directory in ROOT.rglob("templates"):
        if not directory.is_dir() or SKIP_DIRS & set(directory.relative_to(ROOT).parts):
            continue
        found.extend(p for p in directory.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"})
    return sorted(found)


def test_template_scan_finds_the_templates():
    names = {str(p.relative_to(ROOT)) for p in project_templates()}
    assert "templates/base.html" in names
    assert "web/templates/web/dashboard.html" in names


@pytest.mark.parametrize("path", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_style_or_event_handler_in_templates(path):
    text = path.read_text(encoding="utf-8")
    problems = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style= attribute", INLINE_STYLE_ATTR),
        ("<style> block", STYLE_TAG),
        ("on*= event handler", EVENT_HANDLER),
        ("javascript: URL", JS_URL),
    ]:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(ROOT)}:{line}: {name} (CSP forbids it; use static/js or static/css)")
    assert not problems, "\n".join(problems)


def test_the_scanner_catches_what_it_should():
    bad = '<script>alert(1)</script><div style="x"></div><a onclick="x()"></a><a href="javascript:x()">'
    assert INLINE_SCRIPT.search(bad)
    assert INLINE_STYLE_ATTR.search(bad)
    assert EVENT_HANDLER.search(bad)
    assert JS_URL.search(bad)
    ok = '<script src="/static/x.js" defer></script><script id="d" type="application/json">{}</script>'
    assert not INLINE_SCRIPT.search(ok)


@pytest.mark.parametrize("url_name", ["login", "dashboard"])
def test_csp_header_without_unsafe_inline(client_a, url_name):
    response = client_a.get(reverse(url_name))
    csp = response.headers.get("Content-Security-Policy")
    assert csp, "no Content-Security-Policy header"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp


def test_pages_load_assets_only_from_this_site(client_a):
    html = client_a.get(reverse("dashboard")).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in html


def test_vendored_assets_exist():
    for rel in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "css/tingjian.css",
        "js/tingjian.js",
    ]:
        assert (ROOT / "static" / rel).is_file(), rel
    assert "v5.3.8" in (ROOT / "static/vendor/bootstrap/bootstrap.min.css").read_text(encoding="utf-8")[:200]


def test_404_is_generic_and_translated(client_a):
    response = client_a.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_500_page_renders_without_context_or_database():
    # django.views.defaults.server_error renders with an empty Context: no request, no processors.
    template = get_template("500.html")
    html = template.render()
    assert "500" in html
    assert "{%" not in html
    source = (ROOT / "templates/500.html").read_text(encoding="utf-8")
    assert "{% extends" not in source and "{% include" not in source and "{% static" not in source


@override_settings(DEBUG=False)
def test_server_error_shows_the_plain_page(client_a, monkeypatch):
    from web import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(views.clock_selectors, "deadline_buckets", boom)
    client_a.raise_request_exception = False
    response = client_a.get(reverse("dashboard"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html
    assert "secret-internal-detail" not in html


def test_403_and_400_templates_render(rf, frontdesk_a):
    for name in ("400.html", "403.html"):
        request = rf.get("/")
        request.user = frontdesk_a
        html = get_template(name).render({}, request)
        assert name[:3] in html


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response.headers["Cache-Control"] or "max-age=0" in response.headers["Cache-Control"]


def test_healthz_reports_a_database_failure(client, db, monkeypatch):
    from web import views

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("down")

        def __exit__(self, *exc):
            return False

    class BrokenConnection:
        def cursor(self):
            return BrokenCursor()

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_is_get_only(client, db):
    assert client.post("/healthz").status_code == 405


def test_csrf_failure_page_is_ours_and_translated(db, frontdesk_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(frontdesk_a)
    response = client.post(reverse("inbox_mark_all_read"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已失效" in html
    assert "<style" not in html
