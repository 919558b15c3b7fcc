"""`manage.py seed_scale`: a company-size data set, deterministic from a seed, written with COPY on
PostgreSQL (bulk inserts on SQLite). Stages run in order; the register and surveys issues add theirs
to STAGES (each a module with `run(ctx)`)."""

from __future__ import annotations

from . import complaints, estates

STAGES = [estates, complaints]
