"""One new row by a statement Django's compiler built once per model and database, not on every save.

For rows written on every API call (the event of each call): building the INSERT of a twenty-column model is
a fifth of a fast call's CPU, and the statement never changes. Values are prepared as the ORM prepares them;
no signal is sent, so only for models nobody listens to.
"""

import functools

from django.db import connection
from django.db.models import Model
from django.db.models.sql import InsertQuery


def insert(row: Model) -> Model:
    """Save the new `row` (plain values, no expressions) and set its primary key."""
    statement, fields, returning_params = _statement(type(row), connection.vendor)
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row.pk = connection.ops.fetch_returned_insert_columns(cursor, returning_params)[0]
    row._state.adding, row._state.db = False, connection.alias
    return row


@functools.cache
def _statement(model: type[Model], vendor: str) -> tuple[str, list, tuple]:
    options = model._meta
    # The fields Model.save() inserts for a row whose primary key the database assigns.
    fields = [field for field in options.local_concrete_fields if not field.generated and field is not options.auto_field]
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [options.pk]
    [(statement, _)] = compiler.as_sql()
    return statement, fields, compiler.returning_params
