"""The complaint list's text search (issue 10): one search column on the complaint row, written by
the clock's subject hook at intake and on every change (complaints.apps), served on PostgreSQL by a
trigram (pg_trgm GIN) index (migration 0005).

pg_trgm makes no trigram out of a two-character word, and Chinese queries are often two characters
(漏水, 噪音): `LIKE '%漏水%'` then falls back to a scan of every row (measured: a sequential scan of
the whole table). So the column holds, after the text itself, every run of Chinese characters cut
into overlapping two-character words ("楼上漏水" → "楼上 上漏 漏水 水"), each a word of its own. A
one- or two-character query looks for a word starting with it (`LIKE '% 漏水%'`), which has the
trigram " 漏水" (space-padded word start) and uses the index; longer queries match the text itself.
Everything is lower-cased once here, so the query is a plain, case-sensitive LIKE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# CJK unified ideographs (and extension A): the characters that form words without spaces.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Short queries use the two-character words; longer ones the text itself.
SHORT_QUERY = 2
SEPARATOR = "\n"


def _bigram_words(text: str) -> list[str]:
    words: list[str] = []
    for run in _CJK_RUN.findall(text):
        words.extend(run[i : i + 2] for i in range(len(run) - 1))
        words.append(run[-1])  # every character starts some word: a one-character query finds it
    return words


def search_document(parts: Iterable[str | None]) -> str:
    """The search column of a complaint: its number, what was said, the contact, the unit and the
    resident, lower-cased, then the two-character words of the Chinese in them."""
    text = " ".join(p.strip() for p in parts if p and p.strip()).lower()
    words = dict.fromkeys(_bigram_words(text))  # once each, in order
    return f"{text}{SEPARATOR} {' '.join(words)} " if words else text


def search_pattern(query: str) -> tuple[str, str] | None:
    """How to look for `query`: ("word", " 漏水") — a word starting with it — or ("text", "3-201"),
    a substring of the text; None for an empty query. Either is a `contains` lookup."""
    q = " ".join(query.split()).lower()
    if not q:
        return None
    if len(q) <= SHORT_QUERY and _CJK_RUN.fullmatch(q):
        return "word", f" {q}"
    return "text", q
