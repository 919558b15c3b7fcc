"""The one helper every Excel export view goes through (issue 10), and the download of a built file.

xlsx_export decides: an export of at most TINGJIAN_EXPORT_INLINE_LIMIT rows is built in the request and
streamed from a temporary file, as before; a larger one is recorded as a background job (a POST: a state
change) whose file arrives in the user's inbox, and the user goes back to the page, filter kept. A GET
of a large export (an old link, a bookmark) asks for that POST on a small page instead of writing."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.xlsx import XLSX_CONTENT_TYPE, xlsx_file_response

from . import selectors
from .models import ExportState
from .registry import kind_for
from .services import export_job_request, inline_limit, keep_days


def xlsx_export(request: HttpRequest, *, kind: str, params, back: str) -> HttpResponse:
    """Answer the Excel export `kind` with the validated `params` for request.user. `back` is the page
    the export was asked from, with its filter (where a background export returns)."""
    spec = kind_for(kind)
    limit = inline_limit()
    # Counted with a cap: deciding never counts the whole scope.
    if spec.rows(params, request.user).order_by()[: limit + 1].count() <= limit:
        built = spec.build(params, request.user)
        return xlsx_file_response(built.workbook, built.filename)
    if request.method != "POST":
        return render(request, "exports/confirm.html", {"limit": limit, "back": back, "title": _(spec.title)})
    _job, created = export_job_request(user=request.user, kind=kind, params=params)
    if created:
        messages.info(request, _("The export is being built in the background; you will be notified when it is ready."))
    else:
        messages.info(request, _("This export is already being built; you will be notified when it is ready."))
    return redirect(back)


@require_GET
@login_required
@never_cache
def download(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    # 404 for another user's export (a colleague of the same office included); an unknown token is an
    # expired one (expired jobs are deleted; tokens cannot be guessed).
    job = selectors.export_for_user(request.user, token)
    expired = job is None or job.created_at < timezone.now() - datetime.timedelta(days=keep_days())
    if not expired and job.state == ExportState.DONE:
        try:
            handle = default_storage.open(job.file, "rb")
        except (FileNotFoundError, OSError):
            expired = True
        else:
            response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE)
            response["X-Content-Type-Options"] = "nosniff"
            return response
    if expired:
        message = _("This export has expired: files are kept for %(days)s days. Export it again from its page.") % {
            "days": keep_days()
        }
        status = 410
    elif job.state == ExportState.FAILED:
        message = _("This export could not be built. Please export it again from its page.")
        status = 200
    else:
        message = _("This export is still being built; you will be notified when it is ready.")
        status = 200
    return render(request, "exports/unavailable.html", {"message": message}, status=status)
