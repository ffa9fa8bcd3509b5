"""Rows written by the database from a query, none built in Python: a job that moves thousands of rows spends
its time in one statement, not in thousands of model instances."""

from django.db import connections
from django.db.models import Model, QuerySet


def insert_from_query(model: type[Model], columns: dict[str, object], source: QuerySet) -> list[int]:
    """INSERT INTO model's table one row per row of `source`, each field named in `columns` set to its
    expression (evaluated on the source row: F(), Value(), ...); returns the new rows' primary keys."""
    names = [f"_insert_{field}" for field in columns]
    select = source.order_by().annotate(**dict(zip(names, columns.values()))).values_list(*names)
    sql, params = select.query.sql_with_params()
    connection = connections[source.db]
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(field).column) for field in columns)
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {sql} RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]
