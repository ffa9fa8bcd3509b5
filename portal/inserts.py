"""One new row by a statement Django's compiler built once per model and database, not on every save.

For rows written on every API call (the event of each call, a new case and its first message): building the
INSERT of a twenty-column model is a fifth of a fast call's CPU, and the statement never changes. Values are
prepared as the ORM prepares them; no signal is sent, so only for models nobody listens to.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery


def insert(row: Model) -> Model:
    """Save the new `row` (plain values, no expressions) and set its primary key."""
    return _insert(row, on_conflict=None)[0]


def insert_unless_taken(row: Model) -> Model | None:
    """insert(), or None (and nothing written) when a unique value of the row is taken already: without the
    error a savepoint would have to catch, so a caller can draw another value and try again in its transaction."""
    return _insert(row, on_conflict=OnConflict.IGNORE)[0]


def insert_counting_alike(row: Model, alike: str) -> tuple[Model | None, int]:
    """insert_unless_taken(), and how many rows of the table had the row's value of the field `alike` already
    (the account's users, say, for a quota): counted by the same statement, so in the same round trip. The count
    is 0 when nothing was written."""
    inserted, returned = _insert(row, on_conflict=OnConflict.IGNORE, alike=alike)
    return inserted, returned[1] if inserted is not None else 0


def _insert(row: Model, *, on_conflict, alike: str | None = None) -> tuple[Model | None, tuple | None]:
    """The row, saved (None when a unique value was taken), and the columns the statement returned."""
    database = connections[DEFAULT_DB_ALIAS]  # the thread's own, not the proxy each field would look it up through
    statement, fields, returning_params = _statement(type(row), database.vendor, on_conflict, alike)
    params = [field.get_db_prep_save(field.pre_save(row, True), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(statement, params)
        returned = database.ops.fetch_returned_insert_columns(cursor, returning_params)
    if returned is None:
        return None, None
    row.pk = returned[0]
    row._state.adding, row._state.db = False, database.alias
    return row, returned


@functools.cache
def _statement(model: type[Model], vendor: str, on_conflict, alike: str | None) -> tuple[str, list, tuple]:
    options = model._meta
    # The fields Model.save() inserts for a row whose primary key the database assigns.
    fields = [field for field in options.local_concrete_fields if not field.generated and field is not options.auto_field]
    query = InsertQuery(model, on_conflict=on_conflict)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [options.pk]
    [(statement, _)] = compiler.as_sql()
    if alike is not None:
        statement += ", " + _count_alike(model, alike)
    return statement, fields, compiler.returning_params


def _count_alike(model: type[Model], alike: str) -> str:
    """A RETURNING column: the other rows with the new row's value of `alike`. PostgreSQL's subquery does not see
    the new row (it reads the statement's snapshot) and SQLite's does: excluding it by key serves both."""
    quote = connection.ops.quote_name
    options = model._meta
    table, key, column = quote(options.db_table), quote(options.pk.column), quote(options.get_field(alike).column)
    return (f"(SELECT COUNT(*) FROM {table} AS alike WHERE alike.{column} = {table}.{column} "
            f"AND alike.{key} <> {table}.{key})")
