"""Guessing stays throttled per address, and nobody elsewhere can lock a user out (hardening issue, item 3).

django-axes locks a user name only together with the address the failures came from
(AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]), so an attacker's failures lock the attacker's
address for that name, never the real user at their own desk. On top of that, every failed login counts
against its address (common.http.client_ip, proxy-aware): past TINGJIAN_LOGIN_ADDRESS_LIMIT failures in the
cool-off window the address may not try any user name, so spraying guesses over many accounts is throttled too.
The counter lives in the cache (Redis in production), so every web process shares it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from common.http import client_ip

KEY = "tingjian:login-failures:{}"


def _window_seconds() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    if isinstance(cooloff, datetime.timedelta):
        return int(cooloff.total_seconds())
    return int(float(cooloff) * 3600)


def address_blocked(request) -> bool:
    return (cache.get(KEY.format(client_ip(request))) or 0) >= settings.TINGJIAN_LOGIN_ADDRESS_LIMIT


@receiver(user_login_failed, dispatch_uid="tingjian-login-address-throttle")
def count_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if request is None:
        return
    key = KEY.format(client_ip(request))
    window = _window_seconds()
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
    cache.touch(key, window)  # blocked until the window passes without a new failure
