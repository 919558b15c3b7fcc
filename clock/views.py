"""The calendar page of the company admin (clock.manage_calendar): working periods, each year's
State Council arrangement, the company's own closed and open days. Views parse, call one service,
then redirect (or re-render the form with what was typed)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import CompanyDayForm, CompanyDayRemoveForm, WorkingPeriodsForm, YearArrangementForm, format_date_lines
from .models import CalendarSettings, default_periods
from .worktime import chinesecalendar_covers

manage_calendar = permission_required("clock.manage_calendar", raise_exception=True)


def _periods_initial() -> dict:
    row = CalendarSettings.objects.filter(pk=1).first()
    periods = row.periods if row else default_periods()
    fraction = row.warn_fraction if row else Decimal("0.75")
    return {
        "periods": "\n".join(f"{start}-{end}" for start, end in periods),
        "warn_percent": int(Decimal(fraction) * 100),
    }


def _overview(
    request: HttpRequest,
    *,
    periods_form: WorkingPeriodsForm | None = None,
    day_form: CompanyDayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "periods_form": periods_form or WorkingPeriodsForm(initial=_periods_initial()),
        "day_form": day_form or CompanyDayForm(),
        "years": selectors.calendar_years(today),
        "company_days": selectors.company_days(),
        "warning_year": selectors.calendar_warning_for(request.user, today),
        "problems": selectors.notification_problems(),
    }
    return render(request, "clock/overview.html", context, status=status)


@require_GET
@login_required
@manage_calendar
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request)


@require_POST
@login_required
@manage_calendar
def settings_update(request: HttpRequest) -> HttpResponse:
    form = WorkingPeriodsForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_settings_update(
                periods=form.cleaned_data["periods"], warn_fraction=form.warn_fraction(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The working periods are saved. New deadlines use them."))
            return redirect("clock:overview")
    return _overview(request, periods_form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
@manage_calendar
def year_enter(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = YearArrangementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.calendar_year_enter(
                    year=data["year"],
                    holidays=data["holidays"],
                    workdays=data["workdays"],
                    by=request.user,
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The holidays of %(year)s are saved: %(holidays)s days off, %(workdays)s make-up working days.")
                    % {"year": data["year"], "holidays": len(data["holidays"]), "workdays": len(data["workdays"])},
                )
                return redirect("clock:overview")
        status = 400
    else:
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = selectors.calendar_warning_for(request.user, today) or today.year + 1
        year = min(max(year, 2000), 2100)
        holidays, workdays = selectors.state_days_for_year(year)
        form = YearArrangementForm(
            initial={"year": year, "holidays": format_date_lines(holidays), "workdays": format_date_lines(workdays)}
        )
        status = 200
    year_value = form.data.get("year") if form.is_bound else form.initial.get("year")
    try:
        covered = chinesecalendar_covers(int(year_value))
    except (TypeError, ValueError):
        covered = False
    return render(request, "clock/year_form.html", {"form": form, "covered": covered}, status=status)


@require_POST
@login_required
@manage_calendar
def day_add(request: HttpRequest) -> HttpResponse:
    form = CompanyDayForm(request.POST)
    if not form.is_valid():
        return _overview(request, day_form=form, status=400)
    data = form.cleaned_data
    services.calendar_day_set(date=data["date"], kind=data["kind"], note=data["note"], by=request.user)
    messages.success(request, _("%(date)s is saved in the company calendar.") % {"date": data["date"].isoformat()})
    return redirect("clock:overview")


@require_POST
@login_required
@manage_calendar
def day_remove(request: HttpRequest) -> HttpResponse:
    form = CompanyDayRemoveForm(request.POST)
    if form.is_valid() and services.calendar_day_remove(date=form.cleaned_data["date"], by=request.user):
        messages.success(
            request,
            _("%(date)s is removed from the company calendar.") % {"date": form.cleaned_data["date"].isoformat()},
        )
    else:
        messages.error(request, _("There is no company entry for that date."))
    return redirect("clock:overview")
