"""Text as users type it: control characters out (hardening issue, item 5).

PostgreSQL refuses NUL in text; other C0/C1 control characters break exports (XML in .xlsx), logs and the
pages that show them. Tab, line feed and carriage return are what people type: they stay.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(value: str) -> str:
    """`value` without control characters (tab and line breaks kept)."""
    return _CONTROL.sub("", value) if value else value


def has_control(value: str) -> bool:
    return bool(value and _CONTROL.search(value))
