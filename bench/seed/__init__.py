"""`manage.py seed_scale`: a company-size data set, deterministic from a seed, written with COPY on
PostgreSQL (bulk inserts on SQLite). Stages run in order (each a module with `run(ctx)` and `BULK`,
the tables whose indexes are built once after all of them, see the command)."""

from __future__ import annotations

from . import complaints, estates, register, surveys

STAGES = [estates, complaints, register, surveys]
