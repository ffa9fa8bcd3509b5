"""One new row by a statement Django's compiler built once per model and database, not on every save.

For rows written on every API call (the event of each call, a new case and its first message): building the
INSERT of a twenty-column model is a fifth of a fast call's CPU, and the statement never changes. Values are
prepared as the ORM prepares them; no signal is sent, so only for models nobody listens to.

Within `deferred_inserts()` (an API call's transaction), a row inserted with `defer=True` waits, and the rows
waiting are written together by one statement: when the block ends, or just before any other statement runs
(which may read them). A row may refer to one written with it (a new case's first message to the case): the
statement links them. On PostgreSQL a round trip can cost more than a fast call's own SQL: CreateCase's case,
message and event go in one statement, which, being all the call writes, commits by itself (no BEGIN, no COMMIT).
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from psycopg.pq import TransactionStatus

from .row_values import insert_fields, prepared_values


class NotWritten(Exception):
    """The waiting rows were not written, none of them: a unique value of one was taken by then, or a condition
    they were inserted under (provided()) no longer held. The transaction is still usable; the caller may run
    again from the start, writing its rows at once (api.dispatch does)."""


def insert(row: Model, *, defer: bool = False, durable: bool = True) -> Model:
    """Save the new `row` (plain values, no expressions) and set its primary key (with `defer`, within
    deferred_inserts(), once the waiting rows are written).

    `durable=False`, for a row that is a transaction of its own (a read's history line): on PostgreSQL its commit
    does not wait for the write-ahead log to reach the disk (synchronous_commit off for that transaction alone,
    set by the statement itself). A crash of the database server may lose the last fraction of a second of such
    rows, never the database's consistency; a crash of the portal loses nothing more. Within a transaction the
    row is as durable as the rest of it."""
    return _deferred(row, None) if defer and deferring() else _insert(row, on_conflict=None, durable=durable)[0]


def insert_unless_taken(row: Model, *, defer: bool = False) -> Model | None:
    """insert(), or None (and nothing written) when a unique value of the row is taken already: without the
    error a savepoint would have to catch, so a caller can draw another value and try again in its transaction.
    A deferred row is returned as it waits: if its value is taken by then, writing raises NotWritten."""
    if defer and deferring():
        return _deferred(row, OnConflict.IGNORE)
    return _insert(row, on_conflict=OnConflict.IGNORE)[0]


def insert_counting_alike(row: Model, alike: str) -> tuple[Model | None, int]:
    """insert_unless_taken(), and how many rows of the table had the row's value of the field `alike` already
    (the account's users, say, for a quota): counted by the same statement, so in the same round trip. The count
    is 0 when nothing was written."""
    inserted, returned = _insert(row, on_conflict=OnConflict.IGNORE, alike=alike)
    return inserted, returned[1] if inserted is not None else 0


def _insert(row: Model, *, on_conflict, alike: str | None = None, durable: bool = True) -> tuple[Model | None, tuple | None]:
    """The row, saved (None when a unique value was taken), and the columns the statement returned."""
    database = connections[DEFAULT_DB_ALIAS]  # the thread's own, not the proxy each field would look it up through
    relaxed = not durable and database.vendor == "postgresql" and database.get_autocommit() and not database.in_atomic_block
    statement, _, returning_params = _statement(type(row), database.vendor, on_conflict, alike, relaxed)
    return _execute(row, statement, prepared_values(row, database), returning_params, database)


def _execute(row: Model, statement: str, params: list, returning_params, database) -> tuple[Model | None, tuple | None]:
    with database.cursor() as cursor:
        cursor.execute(statement, params)
        returned = database.ops.fetch_returned_insert_columns(cursor, returning_params)
    if returned is None:
        return None, None
    row.pk = returned[0]
    row._state.adding, row._state.db = False, database.alias
    return row, returned


@functools.cache
def _statement(model: type[Model], vendor: str, on_conflict, alike: str | None, relaxed: bool = False) -> tuple[str, list, tuple]:
    options = model._meta
    fields = insert_fields(model)
    query = InsertQuery(model, on_conflict=on_conflict)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [options.pk]
    [(statement, _)] = compiler.as_sql()
    if alike is not None:
        statement += ", " + _count_alike(model, alike)
    if relaxed:
        # A RETURNING column is computed before the implicit commit, which then reads the setting (local to it).
        statement += ", set_config('synchronous_commit', 'off', true)"
    return statement, fields, compiler.returning_params


def _count_alike(model: type[Model], alike: str) -> str:
    """A RETURNING column: the other rows with the new row's value of `alike`. PostgreSQL's subquery does not see
    the new row (it reads the statement's snapshot) and SQLite's does: excluding it by key serves both."""
    quote = connection.ops.quote_name
    options = model._meta
    table, key, column = quote(options.db_table), quote(options.pk.column), quote(options.get_field(alike).column)
    return (f"(SELECT COUNT(*) FROM {table} AS alike WHERE alike.{column} = {table}.{column} "
            f"AND alike.{key} <> {table}.{key})")


@dataclass
class _Row:
    """A waiting row, with the values of its insert_fields() when it was inserted."""

    row: Model
    on_conflict: object
    values: list
    links: dict = dataclass_field(default_factory=dict)  # foreign key's name: position of the waiting row it refers to


class _Waiting:
    """The rows a deferred_inserts() block holds, in the order they were inserted."""

    def __init__(self, database):
        self.database = database
        self.rows: list[_Row] = []
        self.conditions: list[tuple[str, list, object]] = []  # (SQL, params, what to do if it fails)
        self.writing = False

    def add(self, row: Model, on_conflict) -> Model:
        # Its values are taken now, as insert() takes them: a creation time set on the row is the one written.
        waiting = _Row(row, on_conflict, prepared_values(row, self.database))
        related = row._state.fields_cache
        for field in _relations(type(row)) if related and self.rows else ():
            target = related.get(field.name)
            if target is None:
                continue
            for position, earlier in enumerate(self.rows):
                if earlier.row is target:
                    waiting.links[field.name] = position
        self.rows.append(waiting)
        return row

    def before_statement(self, execute, sql, params, many, context):
        """connection.execute_wrapper: what waits is written before another statement, which may read it."""
        if self.rows and not self.writing:
            self.write()
        return execute(sql, params, many, context)

    def write(self, *, alone: bool = False) -> None:
        """Write what waits. `alone`: nothing else has run in the transaction, nor will: the statement may
        commit by itself (PostgreSQL), and the transaction's BEGIN and COMMIT cost no round trip."""
        rows, self.rows = self.rows, []
        conditions, self.conditions = self.conditions, []
        if not (rows or conditions):
            return
        self.writing = True
        try:
            if not rows:
                self._check(conditions)  # nothing to write under them: the block's writes stand only if they hold
                keys = []
            elif self.database.vendor == "postgresql":
                keys = self._write_in_one_statement(rows, conditions, alone)
            else:
                keys = self._write_one_by_one(rows, conditions)
        except NotWritten:
            _otherwise(conditions)
            raise
        finally:
            self.writing = False
        for waiting, key in zip(rows, keys):
            waiting.row.pk = key
            waiting.row._state.adding, waiting.row._state.db = False, self.database.alias
            for name, position in waiting.links.items():
                setattr(waiting.row, waiting.row._meta.get_field(name).attname, keys[position])

    def _write_in_one_statement(self, rows: list[_Row], conditions, alone: bool) -> tuple:
        shape = tuple((type(waiting.row), waiting.on_conflict, tuple(waiting.links.items())) for waiting in rows)
        statement = _together(shape, tuple(sql for sql, _, _ in conditions))
        # Each row's values but its keys to earlier rows (the statement links those); the conditions' values
        # follow the first row's, as their SQL does.
        params = [[value for field, value in zip(insert_fields(type(waiting.row)), waiting.values)
                   if field.name not in waiting.links]
                  for waiting in rows]
        params.insert(1, _values_of(conditions))
        cursor = _statement_cursor(self.database)
        raw = self.database.connection
        alone = alone and raw.info.transaction_status == TransactionStatus.IDLE
        if alone:
            raw.autocommit = True  # Django's commit then finds nothing begun: no BEGIN, no COMMIT of its own
        try:
            cursor.execute(statement, [value for values in params for value in values])
            keys = cursor.fetchone()
        finally:
            if alone:
                raw.autocommit = False
        if keys is None:
            raise NotWritten()
        return keys

    def _check(self, conditions) -> None:
        """NotWritten unless the conditions hold now."""
        with self.database.cursor() as cursor:
            cursor.execute(f"SELECT 1 WHERE {' AND '.join(sql for sql, _, _ in conditions)}", _values_of(conditions))
            if cursor.fetchone() is None:
                raise NotWritten()

    def _write_one_by_one(self, rows: list[_Row], conditions) -> list:
        if conditions:
            self._check(conditions)
        keys = []
        for waiting in rows:
            statement, fields, returning_params = _statement(type(waiting.row), self.database.vendor, waiting.on_conflict, None)
            values = [keys[waiting.links[field.name]] if field.name in waiting.links else value
                      for field, value in zip(fields, waiting.values)]
            written, _ = _execute(waiting.row, statement, values, returning_params, self.database)
            if written is None:
                raise NotWritten()
            keys.append(written.pk)
        return keys


def _statement_cursor(database):
    """A cursor (Django's, so that the statement is logged and wrapped as any other) over one psycopg cursor the
    connection keeps for these statements: run again with the very same statement, it keeps what it learnt of
    converting their parameters' types, which a new cursor learns again (a fifth of the statement's Python)."""
    database.close_if_health_check_failed()
    database.ensure_connection()
    kept = getattr(database, "_waiting_rows_cursor", None)
    if kept is None or kept[0] is not database.connection or kept[1].closed:
        kept = (database.connection, database.create_cursor())
        database._waiting_rows_cursor = kept
    return database._prepare_cursor(kept[1])


@functools.cache
def _relations(model: type[Model]) -> list:
    return [field for field in insert_fields(model) if field.is_relation]


_waiting: ContextVar[_Waiting | None] = ContextVar("deferred_inserts", default=None)


def deferring() -> bool:
    """Whether rows inserted with defer=True wait (inside deferred_inserts())."""
    return _waiting.get() is not None


def provided(condition: str, params: list, *, otherwise=None) -> bool:
    """Within deferred_inserts(): the waiting rows are written only if the SQL boolean `condition` holds then
    (say, that the cached rows they were built from are unchanged); if it does not, nothing is written,
    `otherwise()`, if given, is called and NotWritten raised. If no row waits when the block ends, the condition
    is asked on its own then. False (nothing registered) outside: check it yourself."""
    waiting = _waiting.get()
    if waiting is None:
        return False
    waiting.conditions.append((condition, params, otherwise))
    return True


def write_waiting() -> None:
    """Write the rows that wait now, for code that hands one of them to the ORM (which wants it saved)."""
    waiting = _waiting.get()
    if waiting is not None:
        waiting.write()


@contextmanager
def deferred_inserts(*, alone: bool = False):
    """Rows inserted with defer=True inside wait, and are written together (see the module). `alone`: the block
    is a whole transaction of its own, which nothing else shares (an API call's)."""
    database = connections[DEFAULT_DB_ALIAS]
    waiting = _Waiting(database)
    token = _waiting.set(waiting)
    try:
        with database.execute_wrapper(waiting.before_statement):
            yield
            waiting.write(alone=alone)
    finally:
        _waiting.reset(token)


def _deferred(row: Model, on_conflict) -> Model:
    return _waiting.get().add(row, on_conflict)


def _otherwise(conditions: list) -> None:
    for _, _, otherwise in conditions:
        if otherwise is not None:
            otherwise()


def _values_of(conditions: list) -> list:
    return [value for _, values, _ in conditions for value in values]


@functools.cache
def _together(shape: tuple, conditions: tuple) -> str:
    """One statement for rows of these (model, on_conflict, links): each row's INSERT a WITH clause that takes its
    values from the one before, so that a row not written (a value taken) leaves every later row unwritten; a
    foreign key to an earlier row takes that row's new key. The first row is written only where the conditions
    hold. It answers the keys in order, or no row at all."""
    if len(shape) == 1 and not conditions:
        return _statement(shape[0][0], "postgresql", shape[0][1], None)[0]
    quote = connection.ops.quote_name
    clauses = []
    for position, (model, on_conflict, links) in enumerate(shape):
        statement, fields, _ = _statement(model, "postgresql", on_conflict, None)
        linked = dict(links)
        head, placeholders, tail = _parts(statement, len(fields))
        if position == 0:
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            clauses.append(f"{head} SELECT {', '.join(placeholders)}{where}{tail}" if conditions else statement)
            continue
        selected = [
            f"r{linked[field.name]}.{quote(shape[linked[field.name]][0]._meta.pk.column)}" if field.name in linked
            else placeholder
            for field, placeholder in zip(fields, placeholders)
        ]
        sources = ", ".join(f"r{source}" for source in sorted({position - 1, *linked.values()}))
        clauses.append(f"{head} SELECT {', '.join(selected)} FROM {sources}{tail}")
    named = [f"r{position} AS ({clause})" for position, clause in enumerate(clauses)]
    keys = [f"r{position}.{quote(model._meta.pk.column)}" for position, (model, _, _) in enumerate(shape)]
    every = ", ".join(f"r{position}" for position in range(len(shape)))
    return f"WITH {', '.join(named)} SELECT {', '.join(keys)} FROM {every}"


def _parts(statement: str, count: int) -> tuple[str, list[str], str]:
    """`INSERT INTO t (columns) VALUES (p1, ...) [ON CONFLICT DO NOTHING] RETURNING t.key` in three parts: up to
    VALUES, the placeholders (none of which has a parenthesis), and what follows them."""
    head, rest = statement.split(" VALUES (", 1)
    end = rest.index(")")
    placeholders = rest[:end].split(", ")
    if len(placeholders) != count or any(placeholder.count("%s") != 1 for placeholder in placeholders):
        raise ValueError(f"Cannot take the values of: {statement}")
    return head, placeholders, rest[end + 1:]
