"""Requests the product will not read, answered with its own pages before any body is read.

RequireUtf8Middleware: 400 for a body in another charset (hardening issue, item 7).
RequestSizeLimitMiddleware: 413 for a body over TINGJIAN_MAX_REQUEST_BYTES (item 6).

A form posted with `charset=gbk` (or any charset but UTF-8, or an unknown one) made Django decode the body
with that codec or fail looking it up: a bare 500. Every page of the product is UTF-8 and its forms post
UTF-8; anything else is refused before a view reads request.POST.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.defaults import bad_request

_UTF8 = {"utf-8", "utf8"}


class RequireUtf8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if "charset=" in content_type.lower():
            charset = content_type.lower().split("charset=", 1)[1].split(";", 1)[0].strip().strip('"')
            if charset not in _UTF8:
                return bad_request(request, BadRequest(f"unsupported charset {charset!r}"))
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """A body announced larger than TINGJIAN_MAX_REQUEST_BYTES is refused from its Content-Length, before
    a byte of it is read (the proxy in front should cap it too: nginx client_max_body_size, README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.TINGJIAN_MAX_REQUEST_BYTES:
            response = render(
                request,
                "413.html",
                {"limit_mb": settings.TINGJIAN_MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
            response["Connection"] = "close"  # do not wait for the rest of the body
            return response
        return self.get_response(request)
