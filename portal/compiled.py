"""A query the ORM builds once and runs again with new values, for the lookups every API call makes.

Building and compiling a small queryset (`get(account=..., name__lower=...)`) costs several times what
PostgreSQL takes to answer it, and its SQL never changes: only the values do. `Compiled` asks the ORM for the
SQL once (on the default database), with recognisable probe values in place of the real ones, then runs that
SQL with the values of each call, converting columns and building instances (select_related included) as the
ORM does. A list probe (`pk__among=probe`) is one array parameter on PostgreSQL; a database without arrays
spreads the list over one parameter per item (and SQLite binds a datetime as text), so there the SQL is built
again for each call. A page of the rows (`limit`, `offset`) is asked for with parameters of the same statement.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


class CompileError(Exception):
    """The built queryset does not carry each probe value verbatim as one of its parameters."""


@dataclass(frozen=True)
class _Shape:
    sql: str | None  # None: built for each call (a probe the database converts: see the module's docstring)
    slots: tuple  # per parameter: the index of the value it takes, or (None, constant)
    converters: list  # (position, functions, expression) of the columns the ORM converts
    model: type | None
    model_columns: slice | None
    attnames: list
    related_populators: list
    annotations: tuple  # (name, position) of what the queryset annotates each instance with


class Compiled:
    """`build(*values)` returns the queryset; `probes` are sample values of the right types that appear as
    parameters of the SQL unchanged (so `name__lower=probe` works, `name__startswith=probe` does not)."""

    def __init__(self, build: Callable[..., QuerySet], *probes):
        self._build, self._probes = build, probes
        self._compiled: _Shape | None = None

    def _shape(self) -> _Shape:
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> _Shape:
        queryset = self._build(*self._probes)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            matches = [index for index, probe in enumerate(self._probes) if type(param) is type(probe) and param == probe]
            slots.append(matches[0] if len(matches) == 1 else (None, param))
        missing = set(range(len(self._probes))) - {slot for slot in slots if isinstance(slot, int)}
        if missing and all(isinstance(self._probes[index], (list, datetime)) for index in missing):
            sql = None
        elif missing or len(set(map(repr, self._probes))) != len(self._probes):
            raise CompileError(f"Probes {[self._probes[index] for index in sorted(missing)]} are not parameters of: {sql}")
        select, klass_info = compiler.select, compiler.klass_info
        converters = [
            (position, functions, column)
            for position, (column, _, _) in enumerate(select[: compiler.col_count])
            if (functions := connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        ]
        if klass_info is None or queryset._fields is not None:  # values()/values_list(): plain rows
            return _Shape(sql, tuple(slots), converters, None, None, [], [], ())
        fields = klass_info["select_fields"]
        model_columns = slice(fields[0], fields[-1] + 1)
        attnames = [column.target.attname for column, _, _ in select[model_columns]]
        related = get_related_populators(klass_info, select, queryset.db)
        annotations = tuple(compiler.annotation_col_map.items())
        return _Shape(sql, tuple(slots), converters, klass_info["model"], model_columns, attnames, related, annotations)

    def rows(self, *values, limit: int | None = None, offset: int = 0) -> list[list]:
        """The rows for these values (`limit` of them from `offset` on, if given), each column converted as the
        ORM converts it."""
        database = connections[DEFAULT_DB_ALIAS]  # the thread's own, not the proxy every converter would go through
        shape = self._shape()
        if shape.sql is None:
            queryset = self._build(*values)
            if limit is not None:
                queryset = queryset[offset : offset + limit]
            try:
                sql, params = queryset.query.get_compiler(connection=database).as_sql()
            except EmptyResultSet:  # an empty list
                return []
        else:
            sql, params = shape.sql, [values[slot] if isinstance(slot, int) else slot[1] for slot in shape.slots]
            if limit is not None:
                sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not shape.converters:
            return [list(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, column in shape.converters:
                for function in functions:
                    row[position] = function(row[position], column, database)
            converted.append(row)
        return converted

    def instances(self, *values) -> list:
        """The model instances for these values (of a model queryset, with what it selects related)."""
        shape = self._shape()
        if shape.model is None:
            raise TypeError("instances() of a values() queryset: use rows()")
        found = []
        for row in self.rows(*values):
            instance = shape.model.from_db(DEFAULT_DB_ALIAS, shape.attnames, row[shape.model_columns])
            for populator in shape.related_populators:
                populator.populate(row, instance)
            for name, position in shape.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def first(self, *values):
        """The one instance for these values, or None (for lookups on a unique key)."""
        found = self.instances(*values)
        return found[0] if found else None
