"""The client's address, the same for every consumer (login throttling, django-axes, logs).

Behind the reverse proxy the README prescribes, REMOTE_ADDR is the proxy's address for every client: five
wrong passwords from anyone locked the real user out (hardening issue, item 3). With TINGJIAN_PROXY_COUNT
= N trusted proxies in front, the client is the address the outermost of them saw: the N-th entry from the
right of X-Forwarded-For (each proxy appends the address it received the request from). Entries further left
are whatever the client sent and are never trusted. Without proxies (N = 0) the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TINGJIAN_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote  # not through all our proxies (e.g. a health probe on the private network)
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
