"""How many breached, unfinished deadlines there are per (company, office, rule, escalation role):
what QA's dashboard shows as its groups (issue 10), read in a few rows instead of aggregating every
breach of the company on every view (89 ms vs the front desk's 32 ms at 1M complaints, ~20k breaches).

The counts are kept by the database itself, in the same transaction as the change of the deadline:
triggers on clock_deadline (migration 0009) add +1 for a row that becomes breached and unfinished and
-1 for one that stops being so (closed, deleted, moved to another office, rule or escalation list),
once per distinct role of its `escalate_roles`. Why triggers and not the services: every path that
changes `state`/`closed_at` goes through them whatever it is — the sweeper's batch UPDATE and its
single steps, deadline_sync's and the services' compare-and-set closes, a cosmetic change of
`escalate_roles`, a cascade delete, the bench seed's COPY and a test's `.update()` —, so there is no
path to forget and the counts are exact, never a cache.

PostgreSQL: one statement-level trigger per event with transition tables applies the statement's net
change per key in one INSERT … ON CONFLICT, in key order (two sweepers flagging the same office at
once lock the counter rows in the same order and wait, never deadlock on each other; the second adds
to what the first committed). The triggers are ENABLE ALWAYS, so they also count rows written with
`session_replication_role = replica` (the seed's bulk load). A TRUNCATE of clock_deadline empties the
counts. SQLite: row-level triggers (writers are serialised there).

`breach_counts_rebuild()` recomputes the table from the deadlines (the migration runs it;
`manage.py breach_counts --rebuild` after a restore that bypassed triggers), `breach_counts_drift()`
says which keys differ from a fresh aggregate (`manage.py breach_counts`; tests)."""

from __future__ import annotations

from django.db import connection, models, transaction

# Company-level deadlines (no office) are counted under office_key 0 (ids start at 1): a NULL in a
# unique key would never conflict, so every change would insert a new row.
NO_OFFICE_KEY = 0


class BreachCount(models.Model):
    """Derived from clock_deadline by the triggers above; never written by the application."""

    company_key = models.BigIntegerField()
    office_key = models.BigIntegerField()
    rule = models.CharField(max_length=10)
    role = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        app_label = "clock"
        constraints = [
            models.UniqueConstraint(fields=["company_key", "office_key", "rule", "role"], name="breach_count_key"),
        ]
        # QA's dashboard: the groups of one role, whatever the office scope.
        indexes = [models.Index(fields=["role", "company_key", "office_key"], name="breach_count_role_idx")]

    def __str__(self) -> str:
        return f"{self.rule} {self.office_key} {self.role}: {self.n}"


_KEY = "company_key, office_key, rule, role"
_LIVE_BREACH = "{t}.state = 'breached' AND {t}.closed_at IS NULL"

# --- PostgreSQL -----------------------------------------------------------------------------------

_PG_ROLES = (
    "CROSS JOIN LATERAL (SELECT DISTINCT jsonb_array_elements_text(CASE WHEN jsonb_typeof({t}.escalate_roles) "
    "= 'array' THEN {t}.escalate_roles ELSE '[]'::jsonb END) AS role) r"
)


def _pg_side(table: str, sign: int) -> str:
    return (
        f"SELECT COALESCE(d.company_id, 0) AS company_key, COALESCE(d.office_id, 0) AS office_key, d.rule, r.role, "  # noqa: S608
        f"{sign} AS n FROM {table} d {_PG_ROLES.format(t='d')} WHERE {_LIVE_BREACH.format(t='d')}"
    )


def _pg_apply(*sides: str) -> str:
    union = " UNION ALL ".join(sides)
    return (
        f"INSERT INTO clock_breachcount ({_KEY}, n) SELECT {_KEY}, SUM(n) FROM ({union}) delta "  # noqa: S608
        f"GROUP BY {_KEY} HAVING SUM(n) <> 0 ORDER BY {_KEY} "
        "ON CONFLICT (company_key, office_key, rule, role) DO UPDATE SET n = clock_breachcount.n + EXCLUDED.n;"
    )


PG_INSTALL = f"""
CREATE FUNCTION clock_breach_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_apply(_pg_side("new_rows", 1))}
  ELSIF TG_OP = 'UPDATE' THEN
    {_pg_apply(_pg_side("old_rows", -1), _pg_side("new_rows", 1))}
  ELSE
    {_pg_apply(_pg_side("old_rows", -1))}
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION clock_breach_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM clock_breachcount;
  RETURN NULL;
END $$;
CREATE TRIGGER clock_breach_count_ins AFTER INSERT ON clock_deadline REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION clock_breach_count_apply();
CREATE TRIGGER clock_breach_count_upd AFTER UPDATE ON clock_deadline
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION clock_breach_count_apply();
CREATE TRIGGER clock_breach_count_del AFTER DELETE ON clock_deadline REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION clock_breach_count_apply();
CREATE TRIGGER clock_breach_count_trunc AFTER TRUNCATE ON clock_deadline
  FOR EACH STATEMENT EXECUTE FUNCTION clock_breach_count_clear();
ALTER TABLE clock_deadline ENABLE ALWAYS TRIGGER clock_breach_count_ins;
ALTER TABLE clock_deadline ENABLE ALWAYS TRIGGER clock_breach_count_upd;
ALTER TABLE clock_deadline ENABLE ALWAYS TRIGGER clock_breach_count_del;
ALTER TABLE clock_deadline ENABLE ALWAYS TRIGGER clock_breach_count_trunc;
"""  # noqa: S608 (built from constants)

PG_UNINSTALL = """
DROP TRIGGER IF EXISTS clock_breach_count_ins ON clock_deadline;
DROP TRIGGER IF EXISTS clock_breach_count_upd ON clock_deadline;
DROP TRIGGER IF EXISTS clock_breach_count_del ON clock_deadline;
DROP TRIGGER IF EXISTS clock_breach_count_trunc ON clock_deadline;
DROP FUNCTION IF EXISTS clock_breach_count_apply();
DROP FUNCTION IF EXISTS clock_breach_count_clear();
"""

# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_apply(row: str, sign: int) -> str:
    # "WHERE 1" before ON CONFLICT: SQLite's parser needs it after a SELECT (its UPSERT docs).
    return (
        f"INSERT INTO clock_breachcount ({_KEY}, n) "  # noqa: S608
        f"SELECT COALESCE({row}.company_id, 0), COALESCE({row}.office_id, 0), {row}.rule, r.value, {sign} "
        f"FROM (SELECT DISTINCT value FROM json_each({row}.escalate_roles) "
        f"WHERE json_type({row}.escalate_roles) = 'array') r WHERE {_LIVE_BREACH.format(t=row)} "
        "ON CONFLICT (company_key, office_key, rule, role) DO UPDATE SET n = n + excluded.n;"
    )


_NEW_LIVE, _OLD_LIVE = _LIVE_BREACH.format(t="NEW"), _LIVE_BREACH.format(t="OLD")

SQLITE_INSTALL = [
    f"CREATE TRIGGER clock_breach_count_ins AFTER INSERT ON clock_deadline WHEN {_NEW_LIVE} "
    f"BEGIN {_sqlite_apply('NEW', 1)} END;",
    f"CREATE TRIGGER clock_breach_count_upd AFTER UPDATE ON clock_deadline WHEN ({_OLD_LIVE}) OR ({_NEW_LIVE}) "
    f"BEGIN {_sqlite_apply('OLD', -1)} {_sqlite_apply('NEW', 1)} END;",
    f"CREATE TRIGGER clock_breach_count_del AFTER DELETE ON clock_deadline WHEN {_OLD_LIVE} "
    f"BEGIN {_sqlite_apply('OLD', -1)} END;",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS clock_breach_count_ins;",
    "DROP TRIGGER IF EXISTS clock_breach_count_upd;",
    "DROP TRIGGER IF EXISTS clock_breach_count_del;",
]


def install(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL)
    else:
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UNINSTALL)
    else:
        for statement in SQLITE_UNINSTALL:
            schema_editor.execute(statement)


# --- The fresh aggregate: what the counts must equal ----------------------------------------------


def _fresh_sql(vendor: str) -> str:
    if vendor == "postgresql":
        roles, role = _PG_ROLES.format(t="d"), "r.role"
    else:
        roles = ", json_each(CASE WHEN json_type(d.escalate_roles) = 'array' THEN d.escalate_roles ELSE '[]' END) j"
        role = "j.value"
    return (
        f"SELECT COALESCE(d.company_id, 0), COALESCE(d.office_id, 0), d.rule, {role}, COUNT(DISTINCT d.id) "  # noqa: S608
        f"FROM clock_deadline d {roles} WHERE {_LIVE_BREACH.format(t='d')} GROUP BY 1, 2, 3, 4"
    )


def fresh_counts() -> dict[tuple[int, int, str, str], int]:
    """The counts aggregated from the deadlines now (reads every breached, unfinished row)."""
    with connection.cursor() as cursor:
        cursor.execute(_fresh_sql(connection.vendor))
        return {(c, o, rule, role): n for c, o, rule, role, n in cursor.fetchall()}


def stored_counts() -> dict[tuple[int, int, str, str], int]:
    rows = BreachCount.objects.exclude(n=0).values_list("company_key", "office_key", "rule", "role", "n")
    return {(c, o, rule, role): n for c, o, rule, role, n in rows}


def breach_counts_drift() -> dict[tuple[int, int, str, str], tuple[int, int]]:
    """Keys whose stored count differs from the fresh aggregate: {key: (stored, fresh)}; empty when exact."""
    stored, fresh = stored_counts(), fresh_counts()
    return {
        k: (stored.get(k, 0), fresh.get(k, 0)) for k in stored.keys() | fresh.keys() if stored.get(k) != fresh.get(k)
    }


def breach_counts_rebuild() -> int:
    """Recompute every count from the deadlines; returns how many keys are non-zero. On PostgreSQL
    the deadlines are locked against writes meanwhile (SHARE ROW EXCLUSIVE: reads go on), so no change
    slips between the aggregate and the write."""
    with transaction.atomic(), connection.cursor() as cursor:
        return rebuild(cursor, connection.vendor)


def rebuild(cursor, vendor: str) -> int:
    if vendor == "postgresql":
        cursor.execute("LOCK TABLE clock_deadline IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("DELETE FROM clock_breachcount")
    cursor.execute(f"INSERT INTO clock_breachcount ({_KEY}, n) {_fresh_sql(vendor)}")  # noqa: S608
    return cursor.rowcount
