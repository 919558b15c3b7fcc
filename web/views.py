"""The shell of the product: dashboard, inbox, health check. Views parse, call one service or
selector, and render or redirect (STYLE.md 9)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from clock import selectors as clock_selectors
from clock.calendar import SHANGHAI
from clock.models import Notification
from common.keyset import Key, keyset_page
from complaints import selectors as complaint_selectors
from estates.models import Role
from feedback import selectors as feedback_selectors

from . import services

logger = logging.getLogger(__name__)

INBOX_PAGE_SIZE = 25
DASHBOARD_INBOX_ITEMS = 5
TODAY_ITEMS = 8
SUPERVISED_PAGE_SIZE = 25
SUPERVISED_KEYS = (Key("due_at"), Key("id"))


def safe_local_link(link: str | None) -> str | None:
    """`link` if it is a path on this site ("/complaints/12/"), else None.

    Links in deadlines and notifications are written by the product, but they are followed on a
    click, so only site-relative paths are honoured: no scheme, no host, no "//host" (open redirect).
    """
    if not link or not link.startswith("/") or link.startswith("//") or "\\" in link:
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return None
    return link


def _responsible_label(deadline) -> str:
    if deadline.responsible_user_id:
        return str(deadline.responsible_user)
    if deadline.responsible_role:
        try:
            return str(Role(deadline.responsible_role).label)
        except ValueError:
            return deadline.responsible_role
    return ""


def _calendar_warning(user) -> dict[str, Any] | None:
    """The calendar banner: next (or this) year's State Council arrangement is missing.

    clock.selectors.calendar_warning_for is written by the clock part; until it exists the dashboard
    simply shows no banner. It may answer a year, an object with `.year`, or a dict with "year".
    """
    warning_for = getattr(clock_selectors, "calendar_warning_for", None)
    if warning_for is None:
        return None
    value = warning_for(user)
    if not value:
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, dict):
        year = value.get("year")
    else:
        year = getattr(value, "year", None)
    if not year:
        return None
    try:
        url = reverse("clock:overview")
    except NoReverseMatch:
        url = None
    return {"year": year, "url": url}


def _welcome(user) -> dict[str, Any]:
    if user.is_company_wide:
        return {"company_wide": True, "offices": [], "company": user.company}
    return {"company_wide": False, "offices": [o.name for o in user.offices.all()], "company": None}


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    buckets = clock_selectors.deadline_buckets(user)
    for name in ("overdue", "due_soon", "provisional"):
        for deadline in buckets[name]:
            deadline.responsible_label = _responsible_label(deadline)
            deadline.safe_link = safe_local_link(deadline.link)
    inbox = list(clock_selectors.inbox_for(user)[:DASHBOARD_INBOX_ITEMS])
    context = {
        "overdue": buckets["overdue"],
        "due_soon": buckets["due_soon"],
        "provisional": buckets["provisional"],
        "supervised_groups": buckets["supervised"].groups,
        # Every group's count, also those beyond the groups shown (the badge is the supervised list's size).
        "supervised_total": buckets["supervised"].total,
        "supervised_hidden": buckets["supervised"].hidden,
        "inbox_items": inbox,
        "calendar_warning": _calendar_warning(user),
        "welcome": _welcome(user),
        "front_desk": _front_desk(user),
    }
    return render(request, "web/dashboard.html", context)


def _front_desk(user) -> dict[str, Any] | None:
    """The front desk's part of the dashboard (issue 9): the buttons to log a complaint and a contact,
    and what the user logged today (office-local day), two queries however much was logged."""
    if user.role != Role.FRONT_DESK:
        return None
    complaints = list(complaint_selectors.received_today_by(user)[: TODAY_ITEMS + 1])
    entries = list(feedback_selectors.received_today_by(user)[: TODAY_ITEMS + 1])
    return {
        "can_log_complaint": user.has_perm("complaints.add_complaint"),
        "can_log_contact": user.has_perm("feedback.add_entry"),
        "complaints": complaints[:TODAY_ITEMS],
        "more_complaints": len(complaints) > TODAY_ITEMS,
        "entries": entries[:TODAY_ITEMS],
        "count": len(complaints[:TODAY_ITEMS]) + len(entries[:TODAY_ITEMS]),
        "more_entries": len(entries) > TODAY_ITEMS,
        "today": timezone.localtime(timezone.now(), SHANGHAI).date(),
    }


@require_GET
@login_required
def supervised(request: HttpRequest) -> HttpResponse:
    """The breaches the user supervises, one rule and/or office at a time (a group of the dashboard),
    oldest first, a keyset page of rows."""
    rule = request.GET.get("rule", "")[:10]
    office = request.GET.get("office", "")[:12]
    qs = clock_selectors.supervised_breaches_in(request.user, rule=rule, office=office)
    page = keyset_page(qs, SUPERVISED_KEYS, request.GET.get("after"), size=SUPERVISED_PAGE_SIZE)
    for deadline in page.object_list:
        deadline.responsible_label = _responsible_label(deadline)
        deadline.safe_link = safe_local_link(deadline.link)
    office_name = ""
    if office == clock_selectors.NO_OFFICE:
        office_name = _("Company")
    elif page.object_list and office:
        office_name = page.object_list[0].office.name if page.object_list[0].office_id else ""
    qs = urlencode({k: v for k, v in (("rule", rule), ("office", office)) if v})
    context = {"page_obj": page, "rule": rule, "office": office, "office_name": office_name, "qs": qs}
    return render(request, "web/supervised.html", context)


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(clock_selectors.inbox_for(request.user), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/inbox.html", {"page_obj": page, "notifications": page.object_list})


@require_POST
@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    # Only the recipient: anyone else gets 404, never a hint that the notification exists.
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=notification_id)
    services.notification_mark_read(notification=notification)
    target = safe_local_link(notification.link)
    if target is None:
        if notification.link:
            logger.warning("notification %s has a non-local link; not followed", notification.pk)
        return redirect("inbox")
    return redirect(target)


@require_POST
@login_required
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d message marked as read.", "%(count)d messages marked as read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("There were no unread messages."))
    return redirect("inbox")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and `make run` checks: the process answers and the database does."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz: database ping failed")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
