"""Text search of the register on PostgreSQL: a trigram (pg_trgm GIN) index on what was said.

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER(%s)`, so the index is on that
expression. Raw SQL run only on PostgreSQL: SQLite has no trigram index and scans (small data)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS fb_entry_content_trgm ON feedback_entry USING gin ((UPPER(content::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS fb_entry_content_trgm")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
