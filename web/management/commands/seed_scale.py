"""`manage.py seed_scale`: a company-size data set for `make bench` (issue 10; bench/seed)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bench.seed import STAGES, writer
from bench.seed.context import SIZES, Context


class Command(BaseCommand):
    help = "Write a company-size data set (deterministic from --seed) for the benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="large", help="a preset (default: large)")
        parser.add_argument("--seed", type=int, default=1)
        for name in ("offices", "communities", "units", "complaints", "years"):
            parser.add_argument(f"--{name}", type=int, help=f"override the preset's {name}")
        parser.add_argument(
            "--entries", type=int, help="register entries, the complaints' mirrors among them (0: no register)"
        )
        parser.add_argument(
            "--rounds", type=int, help="survey rounds per community, one each half year (at most 2 × years)"
        )
        parser.add_argument("--end", help="the moment the data ends, ISO (default: now)")

    def handle(self, *args, **options) -> None:
        sizes = dict(SIZES[options["size"]])
        for name in sizes:
            if options.get(name) is not None:
                sizes[name] = options[name]
        if min(sizes["complaints"], sizes["entries"], sizes["rounds"]) < 0:
            raise CommandError("Complaints, entries and rounds cannot be negative.")
        if sizes["offices"] < 1 or sizes["communities"] < sizes["offices"]:
            raise CommandError("Need at least one office and one community per office.")
        end = timezone.now()
        if options["end"]:
            end = datetime.datetime.fromisoformat(options["end"])
            if timezone.is_naive(end):
                end = timezone.make_aware(end)
        ctx = Context(seed=options["seed"], end=end, log=self.stdout.write, **sizes)
        began = time.monotonic()
        writer.TIMES.clear()
        # The rows are committed first, then the indexes built on parallel connections; inside a
        # caller's transaction (a test) they are built one by one before it ends.
        parallel = not connection.in_atomic_block
        bulk = [model for stage in STAGES for model in getattr(stage, "BULK", ())]
        with transaction.atomic():
            deferred = writer.indexes_drop(bulk)
            for stage in STAGES:
                t = time.monotonic()
                try:
                    stage.run(ctx)
                    writer.drain()
                except BaseException:
                    writer.drain(quiet=True)  # the writer thread off the connection before the rollback
                    raise
                self.stdout.write(f"  {stage.__name__.rsplit('.', 1)[-1]}: {time.monotonic() - t:.1f} s")
            if not parallel:
                writer.indexes_build(deferred, parallel=False, log=self.stdout.write)
        if parallel:
            writer.indexes_build(deferred, parallel=True, log=self.stdout.write)
        if writer.TIMES:
            self.stdout.write("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(writer.TIMES.items())))
        self.stdout.write(
            f"seed_scale {options['size']} {sizes} seed={options['seed']}: {time.monotonic() - began:.0f} s"
        )
