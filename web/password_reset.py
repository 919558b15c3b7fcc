"""Password reset, hardened (hardening issue, item 2).

- The link is built on SITE_URL, never on the request's Host header (a forged Host mailed a link to
  the attacker's host).
- The email goes through the clock's retrying outbox (a Notification that is email only), not
  synchronously from the web request.
- Throttled per account (one email per account and RESET_WINDOW: the notification key carries the window)
  and per address (RESET_ADDRESS_LIMIT requests per hour); the answer is the same page whether the address
  is known, unknown or throttled.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.template import loader
from django.utils import timezone

from clock.models import Notification
from clock.selectors import EMAIL_ONLY_PREFIX
from clock.services import notify
from common.http import client_ip

RESET_WINDOW_SECONDS = 15 * 60
RESET_ADDRESS_LIMIT = 5
ADDRESS_KEY = "tingjian:password-reset:{}"


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        window = int(timezone.now().timestamp()) // RESET_WINDOW_SECONDS
        # One email per account and window: a second request within it finds the stored row and sends nothing.
        rows = notify(recipients=[user], key=f"{EMAIL_ONLY_PREFIX}password-reset:{window}", title=subject, body=body)
        Notification.objects.filter(pk__in=[n.pk for n in rows], read_at__isnull=True).update(read_at=timezone.now())


def _address_allowed(request) -> bool:
    key = ADDRESS_KEY.format(client_ip(request))
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count <= RESET_ADDRESS_LIMIT


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        if _address_allowed(self.request):
            site = urlsplit(settings.SITE_URL)
            form.save(
                domain_override=site.netloc,
                use_https=site.scheme == "https",
                token_generator=self.token_generator,
                from_email=self.from_email,
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                request=self.request,
                html_email_template_name=None,
                extra_email_context=self.extra_email_context,
            )
        # The same answer either way: nobody learns whether an address is known or throttled.
        return HttpResponseRedirect(self.get_success_url())
