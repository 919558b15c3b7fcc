"""Forms of the calendar page. They normalise what the company admin types (dates one per line,
ranges, working periods) and report every bad line at once, keeping the text as typed."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import Form

from .models import DayKind
from .worktime import parse_periods

# "2027-02-10..2027-02-16"; the other dashes and 至 are what people type from the State Council notice.
_RANGE_SPLIT = re.compile(r"\s*(?:\.\.|~|～|–|—|至)\s*")
_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
MAX_RANGE_DAYS = 62


def _parse_date(text: str) -> datetime.date:
    if not _DATE_RE.match(text):
        raise ValueError
    year, month, day = (int(part) for part in text.split("-"))
    return datetime.date(year, month, day)


def parse_date_lines(text: str) -> list[datetime.date]:
    """One date or range per line ("2027-01-01", "2027-02-10..2027-02-16"); blank lines and text
    after # are ignored. Raises ValidationError listing every bad line by its number."""
    dates: list[datetime.date] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip().rstrip(",;，；")
        if not line:
            continue
        parts = _RANGE_SPLIT.split(line)
        if len(parts) > 2:
            errors.append(_("Line %(n)s: “%(text)s” is not a date or a range.") % {"n": number, "text": line})
            continue
        try:
            first = _parse_date(parts[0])
            last = _parse_date(parts[-1])
        except ValueError:
            errors.append(
                _("Line %(n)s: “%(text)s” is not a date; write 2027-01-01 or 2027-02-10..2027-02-16.")
                % {"n": number, "text": line}
            )
            continue
        if last < first:
            errors.append(_("Line %(n)s: the range ends before it starts.") % {"n": number})
            continue
        span = (last - first).days + 1
        if span > MAX_RANGE_DAYS:
            errors.append(
                _("Line %(n)s: a range of %(days)s days is too long for a holiday.") % {"n": number, "days": span}
            )
            continue
        dates.extend(first + datetime.timedelta(days=i) for i in range(span))
    if errors:
        raise ValidationError(errors)
    return sorted(set(dates))


def format_date_lines(dates: list[datetime.date]) -> str:
    """The inverse of parse_date_lines: consecutive days as one range per line."""
    lines: list[str] = []
    ordered = sorted(dates)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == datetime.timedelta(days=1):
            j += 1
        first, last = ordered[i], ordered[j]
        lines.append(first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}")
        i = j + 1
    return "\n".join(lines)


def _helper(action: str, label: str, name: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    # A distinct name per form: two forms share the calendar page, and their buttons' ids must differ.
    helper.add_input(Submit(name, label))
    return helper


class WorkingPeriodsForm(Form):
    periods = forms.CharField(
        label=gettext_lazy("Working periods"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One period per line, e.g. 09:00-12:00 and 13:00-18:00. The lunch break is the gap."),
    )
    warn_percent = forms.IntegerField(
        label=gettext_lazy("Warn when this share of the time has passed (%)"),
        min_value=1,
        max_value=99,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("clock:settings"), _("Save working periods"), "save_periods")

    def clean_periods(self) -> list[list[str]]:
        value = self.cleaned_data["periods"]
        pairs: list[list[str]] = []
        for raw in re.split(r"[\n,，;；]+", value):
            line = raw.strip()
            if not line:
                continue
            parts = [p.strip() for p in re.split(r"\s*(?:-|–|—|~|～|至)\s*", line)]
            if len(parts) != 2:
                raise ValidationError(_("“%(text)s” is not a period; write 09:00-12:00.") % {"text": line})
            pairs.append(parts)
        try:
            normalised = parse_periods(pairs)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in normalised]

    def warn_fraction(self) -> Decimal:
        return Decimal(self.cleaned_data["warn_percent"]) / 100


class YearArrangementForm(Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=gettext_lazy("Public holidays (days off)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "2027-01-01\n2027-02-05..2027-02-11"}),
        help_text=gettext_lazy(
            "Every day off of the State Council notice, weekends inside a holiday included: one date or "
            "range per line, e.g. 2027-01-01 or 2027-02-05..2027-02-11."
        ),
    )
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-02-20"}),
        help_text=gettext_lazy("Weekend days that are working days that year, one per line."),
    )
    note = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("E.g. the number and date of the State Council notice."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("clock:year"), _("Save the arrangement"), "save_year")

    def clean_holidays(self) -> list[datetime.date]:
        return parse_date_lines(self.cleaned_data["holidays"])

    def clean_workdays(self) -> list[datetime.date]:
        return parse_date_lines(self.cleaned_data["workdays"])

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        # Both checks read the parsed dates before add_error drops a field from cleaned_data.
        both = sorted(set(data.get("holidays") or []) & set(data.get("workdays") or []))
        outside = {field: [d for d in data.get(field) or [] if d.year != year] for field in ("holidays", "workdays")}
        for field, dates in outside.items():
            if dates:
                self.add_error(field, _("%(date)s is not in %(year)s.") % {"date": dates[0].isoformat(), "year": year})
        if both:
            self.add_error(
                "workdays",
                _("%(date)s is entered both as a holiday and as a working day.") % {"date": both[0].isoformat()},
            )
        if "holidays" in data and not data.get("holidays") and not self.has_error("holidays"):
            self.add_error("holidays", _("Enter the holidays of the year."))
        return data


class CompanyDayForm(Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=gettext_lazy("The company is"),
        choices=[(DayKind.OFF, gettext_lazy("Closed that day")), (DayKind.WORK, gettext_lazy("Open that day"))],
    )
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=100, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(reverse("clock:day_add"), _("Add the day"), "add_day")


class CompanyDayRemoveForm(Form):
    date = forms.DateField()
