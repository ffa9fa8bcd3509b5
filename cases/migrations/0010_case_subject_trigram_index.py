"""A trigram index on the case subject, so the staff queue's search reads matching cases through an index.

PostgreSQL only (pg_trgm, a trusted extension: the database's owner may create it); elsewhere the search
reads every case, as it always did on the embedded SQLite default."""

from django.db import migrations

INDEX = "case_subject_trigram_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # The expression Django's icontains compares on PostgreSQL: UPPER("subject"::text).
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin ((UPPER(subject::text)) gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_attachment_uploads")]
    operations = [migrations.RunPython(create, drop)]
