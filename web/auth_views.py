"""Login and password reset, hardened (hardening issue, items 2 and 3)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from .login_throttle import address_blocked


class LoginView(auth_views.LoginView):
    """Django's login, refused (429, the lockout page) for an address past its failure limit."""

    def post(self, request, *args, **kwargs):
        if address_blocked(request):
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)
