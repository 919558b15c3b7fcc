"""Q1 checks: the list of a month, the check sheet (figures, scoring, findings, promises), sign-off
and the print view of a signed check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from estates.models import User
from estates.scoping import offices_for

from .. import forms, rules, selectors
from ..models import Item, ServiceOffering
from ..services import checks as services
from ..services import corrective
from .common import form_errors, run, this_month


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def check_list(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    form = forms.MonthForm(request.GET or None, offices=offices)
    month = office_id = None
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
        office_id = form.cleaned_data["office"].pk if form.cleaned_data["office"] else None
    month = month or selectors.latest_check_month(request.user) or this_month()
    checks = list(selectors.check_list(request.user, month, office_id))
    return render(
        request,
        "inspections/check_list.html",
        {
            "form": form,
            "month": month,
            "previous": rules.add_months(month, -1),
            "next": rules.add_months(month, 1),
            "checks": checks,
            "office_id": office_id,
            "open_actions": selectors.annotate_findings(request.user, list(selectors.open_actions_for(request.user))),
            "is_qa": services.is_qa(request.user),
        },
    )


def _owners(check):
    return User.objects.filter(offices=check.office, is_active=True).order_by("display_name", "username")


def _detail(request: HttpRequest, check, finding_form=None, status: int = 200) -> HttpResponse:
    sections, loose = selectors.check_sheet(check)
    score = services.check_score(check)
    for row in sections:
        row.score = score.sections.get(row.section.pk)
    items = Item.objects.filter(section__version=check.version)
    offerings = ServiceOffering.objects.filter(office=check.office, active=True).exclude(promise="")
    qa = services.is_qa(request.user)
    context = {
        "check": check,
        "sections": sections,
        "loose_figures": loose,
        "score": score,
        "findings": selectors.annotate_findings(request.user, corrective.findings_with_actions(check)),
        "promise_checks": check.promise_checks.select_related("offering", "checked_by"),
        "action_set_form": forms.ActionSetForm(owners=_owners(check)),
        "letter_promises": selectors.letter_promises(check),
        "is_qa": qa,
        "editable": qa and check.is_open,
        "finding_form": finding_form or forms.FindingForm(items=items, owners=_owners(check)),
        "promise_form": forms.PromiseForm(offerings=offerings),
        "sign_form": forms.SignForm(),
        "outcomes": forms.Outcome.choices,
    }
    return render(request, "inspections/check_detail.html", context, status=status)


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    return _detail(request, selectors.check_for_user(request.user, check_id))


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_refresh(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    run(request, lambda: services.check_refresh_figures(check=check), _("Figures read again."))
    return redirect(check)


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_score_item(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    form = forms.ItemScoreForm(request.POST, items=Item.objects.filter(section__version=check.version))
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.check_item_score(
                check=check,
                by=request.user,
                item=d["item"],
                outcome=d["outcome"],
                deduction=d["deduction"],
                note=d["note"],
            ),
            _("Item scored."),
        )
    else:
        form_errors(request, form)
    anchor = f"#item-{form.cleaned_data['item'].pk}" if form.is_valid() else ""
    return redirect(check.get_absolute_url() + anchor)


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_add_finding(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    form = forms.FindingForm(
        request.POST,
        items=Item.objects.filter(section__version=check.version),
        owners=_owners(check),
    )
    if form.is_valid():
        d = form.cleaned_data
        ok = run(
            request,
            lambda: corrective.finding_with_action(
                check=check,
                by=request.user,
                description=d["description"],
                evidence=d["evidence"],
                item=d["item"],
                owner=d["owner"],
                due_on=d["due_on"],
                form_token=d["form_token"],
            ),
            _("Finding recorded."),
        )
        if ok:
            return redirect(check.get_absolute_url() + "#findings")
    # Keep what was typed: render the page again with the bound form and its errors.
    return _detail(request, check, finding_form=form, status=400)


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_promise(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    form = forms.PromiseForm(request.POST, offerings=ServiceOffering.objects.filter(office=check.office))
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.promise_check_record(
                check=check, by=request.user, offering=d["offering"], kept=d["kept"], note=d["note"]
            ),
            _("Promise check recorded."),
        )
    else:
        form_errors(request, form)
    return redirect(check.get_absolute_url() + "#promises")


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_sign(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.check_sign(check=check, by=request.user, conclusion=form.cleaned_data["conclusion"]),
            _("Check signed off."),
        )
    return redirect(check)


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def check_print(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    if check.is_open:
        messages.info(request, _("Only a signed check has a print view."))
        return redirect(check)
    sections, loose = selectors.check_sheet(check)
    score = services.check_score(check)
    for row in sections:
        row.score = score.sections.get(row.section.pk)
    return render(
        request,
        "inspections/check_print.html",
        {
            "check": check,
            "sections": sections,
            "loose_figures": loose,
            "findings": corrective.findings_with_actions(check),
            "promise_checks": check.promise_checks.select_related("offering"),
        },
    )


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def check_letter_promise(request: HttpRequest, check_id: int) -> HttpResponse:
    """Q3: QA verifies an open-letter promise of the check's office (residents satisfied), or sends it
    back to the office — through the surveys app's own service."""
    from surveys.selectors import promise_for_user
    from surveys.services.followup import promise_update

    check = selectors.check_for_user(request.user, check_id)
    raw = request.POST.get("promise", "")
    if not raw.isdigit():
        messages.error(request, _("Choose a promise."))
        return redirect(check.get_absolute_url() + "#letter-promises")
    promise = promise_for_user(request.user, int(raw))
    if promise.letter.round.office_id != check.office_id:
        raise Http404
    state = request.POST.get("state", "")
    if state not in ("verified", "open"):
        messages.error(request, _("Choose to verify the promise or send it back."))
    else:
        run(
            request,
            lambda: promise_update(promise=promise, by=request.user, state=state, note=request.POST.get("note", "")),
            _("Promise verified.") if state == "verified" else _("Promise sent back to the office."),
        )
    return redirect(check.get_absolute_url() + "#letter-promises")
