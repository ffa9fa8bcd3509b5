"""cases_accountcasecount, kept by PostgreSQL: statement triggers on cases_case add up what each INSERT,
UPDATE and DELETE changed per account and status (from their transition tables, so a job that moves 5,000
cases writes one row per account and status, not 5,000). ENABLE ALWAYS: they count rows written with
session_replication_role = replica too (bulk loads such as bench/jobs.py)."""

import django.db.models.deletion
from django.db import migrations, models

CHANGES = {
    "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows", "SELECT account_id, status, 1 FROM new_rows"),
    "update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "SELECT account_id, status, -1 FROM old_rows UNION ALL SELECT account_id, status, 1 FROM new_rows"),
    "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows", "SELECT account_id, status, -1 FROM old_rows"),
}


def _add_up(changes: str) -> str:
    # In (account, status) order, so two statements counting the same accounts lock their rows in one order.
    return f"""
        INSERT INTO cases_accountcasecount (account_id, status, cases)
        SELECT account_id, status, sum(delta) FROM ({changes}) AS changes (account_id, status, delta)
        GROUP BY account_id, status HAVING sum(delta) <> 0 ORDER BY account_id, status
        ON CONFLICT (account_id, status) DO UPDATE SET cases = cases_accountcasecount.cases + EXCLUDED.cases"""


def _drop_zeros(changes: str) -> str:
    return f"""
        DELETE FROM cases_accountcasecount WHERE cases = 0
        AND account_id IN (SELECT account_id FROM ({changes}) AS changes (account_id, status, delta))"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (event, transition_tables, changes) in CHANGES.items():
        # Only an UPDATE or a DELETE can bring a count down to 0.
        drop_zeros = f"{_drop_zeros(changes)};" if name != "insert" else ""
        schema_editor.execute(f"""
            CREATE FUNCTION cases_count_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_add_up(changes)}; {drop_zeros} RETURN NULL; END $$""")
        schema_editor.execute(f"""
            CREATE TRIGGER cases_count_{name} AFTER {event} ON cases_case {transition_tables}
            FOR EACH STATEMENT EXECUTE FUNCTION cases_count_{name}()""")
        schema_editor.execute(f"ALTER TABLE cases_case ENABLE ALWAYS TRIGGER cases_count_{name}")
    schema_editor.execute(_add_up("SELECT account_id, status, 1 FROM cases_case"))


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CHANGES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS cases_count_{name} ON cases_case")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS cases_count_{name}()")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_phone_verification'),
        ('cases', '0011_case_fewer_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountCaseCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(max_length=32)),
                ('cases', models.IntegerField()),
                ('account', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.account')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('account', 'status'), name='case_count_per_account_status')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
