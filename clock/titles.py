"""The title templates of deadline rules, registered by the process apps (no model import here).

A deadline stores its rule and the parameters of its title ({"number": "TS-2026-000001"}), never a
title frozen in one language: `render_title` renders it at display time in the active language, so
the Chinese dashboard says 首次回复 even when the complaint was logged by someone using English.
Each process app registers its rules in AppConfig.ready (the clock imports no process app):

    register_rule("C3", _("First response to complaint %(number)s"), app="complaints")

A rule may also register what a grouped notification (clock.bursts, issue 9) needs: its short
`name` without a subject ("first response", shown as "C3 first response"), how its subjects are
counted (`subjects`, an ngettext_lazy pair on "count": "%(count)d complaint(s)"), and `list_link`,
a function (rule, kind, office_id, company_id) -> a local URL listing the subjects of a burst (the complaint
list filtered to that office's overdue complaints). Without them the rule code and a neutral count
are shown, and the dashboard is linked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class RuleTitle:
    rule: str
    title: Any  # a lazy translatable string with %(name)s placeholders
    app: str
    name: Any = None  # the rule's short name, no subject: "first response"
    subjects: Any = None  # ngettext_lazy("%(count)d complaint", "%(count)d complaints", "count")
    list_link: Callable[[str, str, int | None, int | None], str] | None = None


_REGISTRY: dict[str, RuleTitle] = {}


def register_rule(
    rule: str,
    title: Any,
    *,
    app: str = "",
    name: Any = None,
    subjects: Any = None,
    list_link: Callable[[str, str, int | None, int | None], str] | None = None,
) -> None:
    """Register the title template of `rule` (at most 10 characters, e.g. "C3", "S5", "C8-DL").
    Registering the same rule again with another app is a mistake and raises; the same app may
    register again (a reloaded AppConfig)."""
    if not rule or len(rule) > 10:
        raise ValueError(f"a rule code has 1 to 10 characters: {rule!r}")
    known = _REGISTRY.get(rule)
    if known is not None and known.app != app:
        raise ValueError(f"rule {rule!r} is already registered by {known.app or 'another app'}")
    _REGISTRY[rule] = RuleTitle(rule=rule, title=title, app=app, name=name, subjects=subjects, list_link=list_link)


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


def rule_label(rule: str) -> str:
    """The rule with its short name in the active language ("C3 首次回复"), or the code alone."""
    entry = _REGISTRY.get(rule)
    return f"{rule} {entry.name}" if entry is not None and entry.name else rule


def count_of(rule: str, count: int) -> str:
    """How many subjects of `rule`, in the active language ("12 件投诉", "12 complaints")."""
    entry = _REGISTRY.get(rule)
    if entry is not None and entry.subjects is not None:
        try:
            return str(entry.subjects % {"count": count})
        except (KeyError, TypeError, ValueError):
            pass
    return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


def list_link(rule: str, kind: str, office_id: int | None, company_id: int | None) -> str:
    """The page listing the subjects of a burst of `rule` in one office ("" when the rule has none)."""
    entry = _REGISTRY.get(rule)
    if entry is None or entry.list_link is None:
        return ""
    return entry.list_link(rule, kind, office_id, company_id)


def _param(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "rule" in value:
            return render_title(str(value["rule"]), value.get("params") or {}, str(value.get("fallback", "")))
        if "rule_label" in value:
            return rule_label(str(value["rule_label"]))
        if "count_of" in value:
            return count_of(str(value["count_of"]), int(value.get("count") or 0))
    if isinstance(value, list | tuple):
        # A list of subjects (numbers or deadline titles), joined as the language lists things.
        return gettext(", ").join(str(_param(item)) for item in value)
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
