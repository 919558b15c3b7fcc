"""common.keyset.keyset_slice (issue 10): keyset paging over rows already in memory (a stored C14
snapshot's list), by the same cursors as the database lists."""

from __future__ import annotations

import datetime

import pytest

from common.keyset import Key, encode_cursor, keyset_slice

KEYS = (Key("at"), Key("id"))
T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
ROWS = [{"at": T0 + datetime.timedelta(hours=i // 2), "id": i} for i in range(7)]  # two rows per moment


def _page(cursor):
    return keyset_slice(ROWS, KEYS, cursor, size=3, value=lambda r, f: r[f])


def test_pages_follow_each_other_without_gaps_or_repeats():
    seen, cursor, pages = [], None, 0
    while True:
        page = _page(cursor)
        pages += 1
        seen += [r["id"] for r in page]
        assert page.is_first == (cursor is None)
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == list(range(7)) and pages == 3


def test_a_cursor_between_equal_moments_continues_by_id():
    page = _page(encode_cursor([T0 + datetime.timedelta(hours=1), 2]))
    assert [r["id"] for r in page] == [3, 4, 5]


@pytest.mark.parametrize("cursor", ["garbage", encode_cursor(["not a moment", 1]), encode_cursor([1])])
def test_a_bad_cursor_is_the_first_page(cursor):
    page = _page(cursor)
    assert page.is_first and [r["id"] for r in page] == [0, 1, 2]


def test_descending_keys_are_refused():
    with pytest.raises(ValueError):
        keyset_slice(ROWS, (Key("at", desc=True), Key("id")), None, size=3, value=lambda r, f: r[f])
