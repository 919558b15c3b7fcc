"""Logs without the secrets some paths carry: a resident's private survey link (/s/<token>/), a register
tracking link, a background export's download link, a password-reset link. Whoever reads a log could
otherwise answer as the resident or download the file. gunicorn's access log (config/gunicorn_logging.py)
and Django's own log lines ("Not Found: /s/<token>/", through `RedactTokens` on the console handler) both
pass through `redact_path`.

A path segment of 16 or more URL-safe characters with a digit or a capital letter is taken for a token
and written as [token]: the product's own path words are lowercase, hyphenated and shorter than that
(checked against every URL pattern in tests/test_embedded.py). Pure: no Django import (gunicorn's master
loads it)."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(?<=/)(?=[A-Za-z0-9_:\-]*[0-9A-Z])[A-Za-z0-9_:\-]{16,}(?=[/?#\s\"']|$)")


def redact_path(text: str) -> str:
    return _TOKEN.sub("[token]", text)


class RedactTokens(logging.Filter):
    """A handler filter: the record's message with tokens in paths written as [token]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_path(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
