"""`python manage.py seed_demo`: load the demo company (idempotent; `make run` calls it every time)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from estates import demo
from estates.models import Community, Resident, Unit


class Command(BaseCommand):
    help = "Create the demo company, its two offices and one staff user for every role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing (the logins table included).")

    def handle(self, *args, quiet: bool = False, **options):
        company = demo.seed_all()
        if quiet:
            return
        with translation.override("zh-hans"):
            self._print_logins(company)

    def _print_logins(self, company) -> None:
        out = self.stdout
        communities = Community.objects.filter(office__company=company).order_by("name")
        out.write(self.style.SUCCESS(f"Demo company: {company.name}"))
        for community in communities:
            units = Unit.objects.filter(building__community=community).count()
            residents = Resident.objects.filter(unit__building__community=community).count()
            out.write(
                f"  {community.office.name} / {community.name}: {units} units, {residents} residents, "
                f"occupied {community.occupied_on:%Y-%m-%d}"
            )
        rows = [("username", "role", "office")] + [(u, str(r), o or "(company-wide)") for u, r, o in demo.DEMO_LOGINS]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        out.write("")
        out.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        for row in rows:
            out.write(("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row))).rstrip())
        out.write(
            self.style.WARNING(
                "WARNING: these are demo accounts with a published password. "
                "Never load the demo company on a server that holds real data."
            )
        )


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
