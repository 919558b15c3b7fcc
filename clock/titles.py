"""The title templates of deadline rules, registered by the process apps (no model import here).

A deadline stores its rule and the parameters of its title ({"number": "TS-2026-000001"}), never a
title frozen in one language: `render_title` renders it at display time in the active language, so
the Chinese dashboard says 首次回复 even when the complaint was logged by someone using English.
Each process app registers its rules in AppConfig.ready (the clock imports no process app):

    register_rule("C3", _("First response to complaint %(number)s"), app="complaints")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class RuleTitle:
    rule: str
    title: Any  # a lazy translatable string with %(name)s placeholders
    app: str


_REGISTRY: dict[str, RuleTitle] = {}


def register_rule(rule: str, title: Any, *, app: str = "") -> None:
    """Register the title template of `rule` (at most 10 characters, e.g. "C3", "S5", "C8-DL").
    Registering the same rule again with another app is a mistake and raises; the same app may
    register again (a reloaded AppConfig)."""
    if not rule or len(rule) > 10:
        raise ValueError(f"a rule code has 1 to 10 characters: {rule!r}")
    known = _REGISTRY.get(rule)
    if known is not None and known.app != app:
        raise ValueError(f"rule {rule!r} is already registered by {known.app or 'another app'}")
    _REGISTRY[rule] = RuleTitle(rule=rule, title=title, app=app)


def is_registered(rule: str) -> bool:
    return rule in _REGISTRY


def registered_rules() -> dict[str, RuleTitle]:
    return dict(_REGISTRY)


def render_title(rule: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The title of a deadline of `rule` in the active language; `fallback` (the stored title of a
    row made before rules were registered) when the rule is unknown or a parameter is missing."""
    entry = _REGISTRY.get(rule)
    if entry is None:
        return fallback or rule
    template = str(entry.title)
    try:
        return template % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback or template


def _param(value: Any) -> Any:
    if isinstance(value, Mapping) and "rule" in value:
        return render_title(str(value["rule"]), value.get("params") or {}, str(value.get("fallback", "")))
    return value


def render_part(part: Any) -> str:
    """One stored [msgid, params] pair of a notification's message, in the active language. A
    parameter given as {"rule": ..., "params": ...} is a deadline title, rendered the same way."""
    if not isinstance(part, list | tuple) or len(part) != 2:
        return ""
    msgid, params = part
    text = gettext(str(msgid)) if msgid else ""
    if not params:
        return text
    try:
        return text % {key: _param(value) for key, value in dict(params).items()}
    except (KeyError, TypeError, ValueError):
        return text
