"""Issue 10: the pages that only read run without the request's transaction (BEGIN/COMMIT round trips on
PostgreSQL; on SQLite, BEGIN IMMEDIATE took the write lock for every page view); a change still runs in
one (ATOMIC_REQUESTS)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _depths(client, method, url, **data):
    """How many atomic blocks are open while the request's queries run (the test's own block aside)."""
    outside, seen = len(connection.atomic_blocks), []

    def record(execute, sql, params, many, context):
        seen.append(len(connection.atomic_blocks) - outside)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302)
    return set(seen)


def test_reading_pages_run_without_the_request_transaction(frozen, make_complaint, client_a):
    c = make_complaint()
    for url in (
        reverse("complaints:list"),
        reverse("complaints:work_log"),
        reverse("complaints:return_visits"),
        c.get_absolute_url(),
        reverse("dashboard"),
    ):
        assert _depths(client_a, "get", url) == {0}, url


def test_a_change_still_runs_in_one_transaction(frozen, make_complaint, client_a):
    c = make_complaint()
    url = reverse("complaints:act_note", args=[c.pk])
    assert 1 in _depths(client_a, "post", url, note="补充说明", version=c.version)
