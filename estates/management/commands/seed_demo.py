"""`python manage.py seed_demo`: load the demo company (idempotent; `make run` calls it with --if-empty).

Refused under production settings, and refused (or, with --if-empty, skipped) when the database holds
anything but the demo: the demo logins share a published password and include a superuser.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from estates import demo
from estates.models import Community, Resident, Unit


class Command(BaseCommand):
    help = "Create the demo company, its two offices and one staff user for every role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing (the logins table included).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load the demo only into an empty database; with real data present, do nothing (make run).",
        )

    def handle(self, *args, quiet: bool = False, if_empty: bool = False, **options):
        if getattr(settings, "TINGJIAN_PRODUCTION", False):
            raise CommandError(
                _("The demo company is never loaded under production settings: its logins share a published password.")
            )
        if demo.real_data_present():
            if if_empty:
                if not quiet:
                    self.stdout.write(_("The database holds real data: the demo company is not loaded."))
                return
            raise CommandError(
                _(
                    "The database holds data that is not the demo company: "
                    "the demo is loaded only into an empty database."
                )
            )
        company = demo.seed_all()
        if quiet:
            return
        with translation.override(settings.LANGUAGE_CODE):
            self._print_logins(company)

    def _print_logins(self, company) -> None:
        out = self.stdout
        communities = Community.objects.filter(office__company=company).select_related("office").order_by("name")
        out.write(self.style.SUCCESS(_("Demo company: %(name)s") % {"name": company.name}))
        for community in communities:
            out.write(
                "  "
                + _("%(office)s / %(community)s: %(units)d units, %(residents)d residents, occupied on %(date)s")
                % {
                    "office": community.office.name,
                    "community": community.name,
                    "units": Unit.objects.filter(building__community=community).count(),
                    "residents": Resident.objects.filter(unit__building__community=community).count(),
                    "date": f"{community.occupied_on:%Y-%m-%d}",
                }
            )
        header = (_("username"), _("role"), _("office"))
        rows = [header] + [(u, str(r), o or _("(company-wide)")) for u, r, o in demo.DEMO_LOGINS]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        out.write("")
        out.write(_("Demo logins (password for all: %(password)s)") % {"password": demo.DEMO_PASSWORD})
        for row in rows:
            out.write(("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row))).rstrip())
        out.write(
            self.style.WARNING(
                _(
                    "WARNING: these are demo accounts with a published password. "
                    "Never load the demo company on a server that holds real data."
                )
            )
        )


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
