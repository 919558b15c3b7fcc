"""Figure providers (Q1): the figures the product already knows, filled into a check with their source.

One provider per source, registered here; each names the app it reads, and a provider whose app is not
installed is simply absent (no figure, no error). A provider returns FigureValues for an office and a
period [start, end); `now` is when the figures are read (open deadlines are counted as they stand).
Add a source by writing one function and one `register(...)` call below — nothing else changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clock.calendar import SHANGHAI
from estates.models import Office


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class Provider:
    key: str
    app_label: str
    label: object  # lazy
    read: Callable[[Office, datetime.datetime, datetime.datetime, datetime.datetime], list[FigureValue]]


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    PROVIDERS[provider.key] = provider
    return provider


def available() -> list[Provider]:
    """The providers whose source app is installed, in registration order."""
    return [p for p in PROVIDERS.values() if apps.is_installed(p.app_label)]


def provider_of(figure_key: str) -> str:
    """The provider key of a figure key ("complaints.c3:received" -> "complaints.c3")."""
    return figure_key.split(":", 1)[0]


def read_all(
    office: Office, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime
) -> list[FigureValue]:
    found: list[FigureValue] = []
    for provider in available():
        found.extend(provider.read(office, start, end, now))
    return found


def figure_choices() -> list[tuple[str, str]]:
    """(figure key, label) of every figure a standard item may point at."""
    return [(p.key, str(p.label)) for p in available()]


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1)}%" if whole else "—"


# ---------------------------------------------------------------------------------------------
# complaints: C3 first-response compliance and overdue items


def _complaints_c3(office: Office, start, end, now) -> list[FigureValue]:
    from complaints.models import Complaint
    from complaints.reports.figures import compliance

    received = Complaint.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
    c3 = compliance(received, now)
    source = _("Complaints, C3 first-response deadlines of complaints received in the period")
    return [
        FigureValue("complaints.c3:received", _("Complaints received"), str(received.count()), source),
        FigureValue(
            "complaints.c3",
            _("C3 first response on time"),
            _("%(rate)s (%(met)s on time, %(late)s late, %(pending)s not yet due)")
            % {
                "rate": f"{c3.rate}%" if c3.rate is not None else "—",
                "met": c3.met,
                "late": c3.late,
                "pending": c3.pending,
            },
            source,
        ),
    ]


def _complaints_overdue(office: Office, start, end, now) -> list[FigureValue]:
    from django.contrib.contenttypes.models import ContentType

    from clock.models import Deadline, DeadlineState
    from complaints.models import Complaint

    overdue = Deadline.objects.filter(
        office=office,
        subject_type=ContentType.objects.get_for_model(Complaint),
        closed_at__isnull=True,
    ).filter(Q(state=DeadlineState.BREACHED) | Q(state=DeadlineState.OPEN, due_at__lte=now))
    late_in_period = Deadline.objects.filter(
        office=office,
        subject_type=ContentType.objects.get_for_model(Complaint),
        state=DeadlineState.BREACHED,
        due_at__gte=start,
        due_at__lt=end,
    )
    source = _("Complaints, the clock's deadlines")
    return [
        FigureValue("complaints.overdue", _("Complaint steps overdue now"), str(overdue.count()), source),
        FigureValue(
            "complaints.overdue:breached",
            _("Complaint deadlines breached in the period"),
            str(late_in_period.count()),
            source,
        ),
    ]


register(Provider("complaints.c3", "complaints", gettext_lazy("C3 first response on time"), _complaints_c3))
register(Provider("complaints.overdue", "complaints", gettext_lazy("Overdue complaint steps"), _complaints_overdue))


# ---------------------------------------------------------------------------------------------
# feedback: register entries and their completion (F1), open corrective actions (F2, Q1)


def _register(office: Office, start, end, now) -> list[FigureValue]:
    from feedback.models import Entry
    from feedback.rules import OPEN_STATES

    row = Entry.objects.filter(office=office, received_at__gte=start, received_at__lt=end).aggregate(
        n=Count("pk"), finished=Count("pk", filter=~Q(state__in=OPEN_STATES))
    )
    source = _("Customer communication register (F1), entries received in the period")
    return [
        FigureValue("feedback.register", _("Register entries"), str(row["n"]), source),
        FigureValue(
            "feedback.register:completion",
            _("Register entries completed"),
            f"{row['finished']} / {row['n']} ({_rate(row['finished'], row['n'])})",
            source,
        ),
    ]


def _actions(office: Office, start, end, now) -> list[FigureValue]:
    from feedback.models import CorrectiveAction

    row = CorrectiveAction.objects.filter(office=office, state__in=("open", "done")).aggregate(
        n=Count("pk"),
        late=Count("pk", filter=Q(state="open", due_on__lt=now.astimezone(SHANGHAI).date())),
    )
    return [
        FigureValue(
            "feedback.actions",
            _("Open corrective actions"),
            _("%(n)s (%(late)s past their due date)") % row,
            _("Corrective actions (F2, Q1) not yet verified, as they stand now"),
        )
    ]


register(Provider("feedback.register", "feedback", gettext_lazy("Register entries and completion (F1)"), _register))
register(Provider("feedback.actions", "feedback", gettext_lazy("Open corrective actions"), _actions))


# ---------------------------------------------------------------------------------------------
# surveys: open-letter promises (S15, Q3) and survey deadlines met (S5-S19)


def _promises(office: Office, start, end, now) -> list[FigureValue]:
    from surveys.models import OpenLetter, OpenLetterPromise

    today = now.astimezone(SHANGHAI).date()
    row = OpenLetterPromise.objects.filter(
        letter__round__office=office, letter__state__in=(OpenLetter.State.APPROVED, OpenLetter.State.POSTED)
    ).aggregate(
        n=Count("pk"),
        verified=Count("pk", filter=Q(state=OpenLetterPromise.State.VERIFIED)),
        waiting=Count("pk", filter=Q(state=OpenLetterPromise.State.DONE)),
        late=Count("pk", filter=Q(due_on__lt=today) & ~Q(state=OpenLetterPromise.State.VERIFIED)),
    )
    return [
        FigureValue(
            "surveys.promises",
            _("Open-letter promises verified"),
            _("%(verified)s of %(n)s (%(waiting)s awaiting QA, %(late)s past their date)") % row,
            _("Open letters' promises (S15, Q3), as they stand now"),
        )
    ]


def _survey_deadlines(office: Office, start, end, now) -> list[FigureValue]:
    from django.contrib.contenttypes.models import ContentType

    from clock.models import Deadline, DeadlineState
    from surveys.models import SurveyRound

    row = Deadline.objects.filter(
        office=office, subject_type=ContentType.objects.get_for_model(SurveyRound), due_at__gte=start, due_at__lt=end
    ).aggregate(
        n=Count("pk", filter=Q(state__in=(DeadlineState.MET, DeadlineState.BREACHED))),
        met=Count("pk", filter=Q(state=DeadlineState.MET)),
    )
    return [
        FigureValue(
            "surveys.deadlines",
            _("Survey deadlines met"),
            f"{row['met']} / {row['n']} ({_rate(row['met'], row['n'])})",
            _("Satisfaction surveys, the clock's deadlines due in the period (S5-S19)"),
        )
    ]


register(Provider("surveys.promises", "surveys", gettext_lazy("Open-letter promises (Q3)"), _promises))
register(Provider("surveys.deadlines", "surveys", gettext_lazy("Survey deadlines met"), _survey_deadlines))


# ---------------------------------------------------------------------------------------------
# inspections itself: Q4 repair return visits, Q2 verification call-backs


def _repairs(office: Office, start, end, now) -> list[FigureValue]:
    from .models import RepairRecord

    first, last = start.date(), (end - datetime.timedelta(seconds=1)).date()
    done = RepairRecord.objects.filter(office=office, done_on__gte=first, done_on__lte=last)
    row = done.aggregate(
        n=Count("pk"),
        visited=Count("visit"),
        attitude=Avg("visit__attitude"),
        punctuality=Avg("visit__punctuality"),
        quality=Avg("visit__quality"),
    )
    scores = [row[k] for k in ("attitude", "punctuality", "quality") if row[k] is not None]
    mean = f"{sum(scores) / len(scores):.2f} / 5" if scores else "—"
    source = _("Repair records and return visits (Q4)")
    return [
        FigureValue(
            "inspections.repairs",
            _("Repairs return-visited"),
            f"{row['visited']} / {row['n']} ({_rate(row['visited'], row['n'])})",
            source,
        ),
        FigureValue("inspections.repairs:score", _("Repair return-visit score"), mean, source),
    ]


def _callbacks(office: Office, start, end, now) -> list[FigureValue]:
    from .models import CallbackItem

    items = CallbackItem.objects.filter(
        sample__office=office, sample__month__gte=start.date(), sample__month__lt=end.date()
    )
    row = items.aggregate(
        n=Count("pk"),
        called=Count("pk", filter=~Q(outcome="")),
        failed=Count("pk", filter=Q(outcome="failed")),
    )
    return [
        FigureValue(
            "inspections.callbacks",
            _("Verification call-backs failed"),
            _("%(failed)s of %(called)s called (%(n)s sampled)") % row,
            _("QA call-backs (Q1, Q2)"),
        )
    ]


register(Provider("inspections.repairs", "inspections", gettext_lazy("Repair return visits (Q4)"), _repairs))
register(Provider("inspections.callbacks", "inspections", gettext_lazy("Verification call-backs (Q2)"), _callbacks))
