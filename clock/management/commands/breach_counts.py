"""`manage.py breach_counts`: compare the breach counts QA's dashboard reads (clock.breach_counts)
with a fresh aggregate of the deadlines; `--rebuild` recomputes them (after a restore or a bulk load
that bypassed the triggers, e.g. `session_replication_role` set by hand with the triggers disabled)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from clock.breach_counts import breach_counts_drift, breach_counts_rebuild


class Command(BaseCommand):
    help = "Check (or --rebuild) the per-group breach counts against the deadlines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Recompute every count from the deadlines.")

    def handle(self, *args, rebuild: bool = False, **options) -> None:
        if rebuild:
            keys = breach_counts_rebuild()
            self.stdout.write(f"rebuilt: {keys} non-zero keys")
            return
        drift = breach_counts_drift()
        if not drift:
            self.stdout.write("breach counts exact")
            return
        for key, (stored, fresh) in sorted(drift.items()):
            self.stdout.write(f"{key}: stored {stored}, deadlines {fresh}")
        self.stdout.write(f"{len(drift)} key differs" if len(drift) == 1 else f"{len(drift)} keys differ")
