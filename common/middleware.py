"""Requests the product cannot read are answered 400 with its own page (hardening issue, item 7).

A form posted with `charset=gbk` (or any charset but UTF-8, or an unknown one) made Django decode the body
with that codec or fail looking it up: a bare 500. Every page of the product is UTF-8 and its forms post
UTF-8; anything else is refused before a view reads request.POST.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
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
