"""Labels of the keys a snapshot stores (class, channel, category, state, kind, on time, response
bucket), in the reader's language at render time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Category, Channel, Kind
from ..rules import ComplaintClass, State

CLASS_LABELS = dict(ComplaintClass.choices)
CHANNEL_LABELS = dict(Channel.choices)
CATEGORY_LABELS = dict(Category.choices)
STATE_LABELS = dict(State.choices)
KIND_LABELS = dict(Kind.choices)


def class_label(key) -> str:
    return str(CLASS_LABELS.get(key, _("Not classified")))


def channel_label(key) -> str:
    return str(CHANNEL_LABELS.get(key, key or "—"))


def category_label(key) -> str:
    return str(CATEGORY_LABELS.get(key, _("Not categorised") if not key else key))


def state_label(key) -> str:
    return str(STATE_LABELS.get(key, key))


def kind_label(key) -> str:
    return str(KIND_LABELS.get(key, key))


def on_time_label(key: str) -> str:
    return {
        "yes": _("On time"),
        "no": _("Late"),
        "pending": _("Not yet due"),
    }.get(key, "—")


def bucket_label(key: str, hours: int | None) -> str:
    """A C15 response-time bucket: within `hours`, more than `hours` ("over"), or not yet ("none")."""
    if key == "none":
        return _("Not yet responded")
    if key == "over":
        return _("More than %(hours)s hours") % {"hours": hours}
    return _("Within %(hours)s hours") % {"hours": hours}
