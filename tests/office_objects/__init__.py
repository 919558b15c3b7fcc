"""What the office-isolation test (tests/test_office_isolation.py) needs to know about each URL
parameter (foundation issue, section 7).

That test walks every URL pattern of config.urls that takes a path parameter. For each one it makes
an object of office A, then:
- the OUTSIDER (the same role, in office B; for a company-wide role, in another company) gets 404 on
  GET and on POST, and no row of any table changes;
- the INSIDER (that role in office A; by default the front desk of office A) does NOT get 404, so the
  test cannot pass vacuously, and a GET by the insider changes nothing (changes need POST, STYLE.md 9).

HOW TO COVER YOUR APP'S URLS (a URL parameter that is in none of the tables below fails
test_every_url_parameter_is_registered, so a new app cannot forget):

1. Each path parameter name gets an entry in KWARGS, e.g. for ``<int:complaint_id>``::

       "complaint_id": OfficeObject(lambda ctx: ComplaintFactory(office=ctx.office_a)),

   A name used by several apps for different objects (``pk``) is registered per URL namespace:
   ``"complaints:pk": OfficeObject(...)`` applies to the ``complaints:`` URLs only and wins over a
   plain ``"pk"``. ``make(ctx)`` creates the object and returns it; ``value`` turns it into the URL value (default:
   its pk). ``ctx`` has the places (ctx.company, ctx.office_a, ctx.unit_a, ...), the insider
   (ctx.insider, a user of office A with the URL's role) and ``ctx.objects``: the objects already made
   for the URL's other parameters, by parameter name (parameters are made in URL order), so
   ``<int:survey_id>/units/<int:unit_id>/`` can make a unit that belongs to that survey. Use parameter
   names that say what they are (complaint_id, not pk): one name, one kind of object.
2. If the front desk may not open the URL, name the role that may in INSIDERS, by URL name:
   ``"complaints:classify": "officemanager"``. The role keys are those of ROLES below.
3. A parameter that is not an office object (a year, a date, a public answer token checked by its own
   signature) goes into NOT_OFFICE_OBJECTS with the reason. A URL whose parameters are all there is
   reported as skipped, never silently passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from estates.models import Company, Office, Role, Unit, User

# Role keys used by INSIDERS; company-wide roles get their outsider from another company.
ROLES: dict[str, Role] = {
    "frontdesk": Role.FRONT_DESK,
    "assistant": Role.CS_ASSISTANT,
    "deptmanager": Role.DEPT_MANAGER,
    "officemanager": Role.OFFICE_MANAGER,
    "qa": Role.QA_STAFF,
    "qamanager": Role.QA_MANAGER,
    "mgmtrep": Role.MGMT_REP,
    "assistantgm": Role.ASSISTANT_GM,
    "admin": Role.COMPANY_ADMIN,
}


@dataclass
class Context:
    company: Company
    office_a: Office
    office_b: Office
    unit_a: Unit
    frontdesk_a: User
    insider: User
    outsider: User
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OfficeObject:
    make: Callable[[Context], Any]
    value: Callable[[Any], Any] = lambda obj: obj.pk


def _unit(ctx: Context) -> Model:
    from tests.factories import UnitFactory

    return UnitFactory(building__community__office=ctx.office_a)


def _notification(ctx: Context) -> Model:
    from clock.models import Notification

    # A notification belongs to its recipient, not to an office: the insider's own message.
    return Notification.objects.create(
        recipient=ctx.insider,
        key="isolation-test",
        title="投诉首次回复即将到期",
        body="",
        link="/",
        created_at=timezone.now() - datetime.timedelta(minutes=5),
    )


# Parameter name -> how to make an object of office A (or of the insider) for it.
KWARGS: dict[str, OfficeObject] = {
    "unit_id": OfficeObject(_unit),  # estates:unit_detail
    "notification_id": OfficeObject(_notification),  # web: notification_open
}

# URL name -> role key of the insider, where the front desk may not open the URL.
INSIDERS: dict[str, str] = {}

# Parameter name -> why it is not an office object (URLs with only such parameters are skipped).
NOT_OFFICE_OBJECTS: dict[str, str] = {}


def entry_for(url_name: str, param: str) -> OfficeObject | None:
    """The registry entry of a URL parameter: namespace-qualified first ("complaints:pk"), then plain."""
    namespace = url_name.rpartition(":")[0]
    while namespace:
        entry = KWARGS.get(f"{namespace}:{param}")
        if entry is not None:
            return entry
        namespace = namespace.rpartition(":")[0]
    return KWARGS.get(param)


def not_office_object(url_name: str, param: str) -> str | None:
    """Why a parameter is not an office object, if it is registered as such (same lookup order)."""
    namespace = url_name.rpartition(":")[0]
    while namespace:
        reason = NOT_OFFICE_OBJECTS.get(f"{namespace}:{param}")
        if reason is not None:
            return reason
        namespace = namespace.rpartition(":")[0]
    return NOT_OFFICE_OBJECTS.get(param)


# The apps' entries register themselves in the tables above when imported (one module per app).
from . import complaints, exports, feedback, inspections, summaries, surveys  # noqa: E402, F401
