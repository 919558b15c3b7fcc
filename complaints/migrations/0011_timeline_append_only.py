"""The timeline (ComplaintEvent) is append-only in the database itself on PostgreSQL (hardening issue).

ComplaintEvent.save()/delete() refuse edits in Python, but QuerySet.update(), QuerySet.delete(), cascades
(deleting a complaint or SET_NULL from a deleted user) and plain SQL went around them. A row trigger now
refuses every UPDATE and DELETE of a timeline row, whoever issues it. TRUNCATE (the table owner's
administrative tool, also how Django's test runner empties tables) is left alone. A DBA who must repair a row
does so deliberately: `SET session_replication_role = replica` in that session (README, Operations).
SQLite (embedded mode, one machine) keeps the model-level guard only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION complaints_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the complaint timeline is append-only: % of a row of % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS complaints_timeline_append_only ON complaints_complaintevent;
CREATE TRIGGER complaints_timeline_append_only
    BEFORE UPDATE OR DELETE ON complaints_complaintevent
    FOR EACH ROW EXECUTE FUNCTION complaints_timeline_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS complaints_timeline_append_only ON complaints_complaintevent;
DROP FUNCTION IF EXISTS complaints_timeline_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_late_entry_and_response")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
