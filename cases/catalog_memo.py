"""Catalogue entries new cases were filed under, kept per process, for the API's CreateCase.

Every new case looks its service, category and severity up: a query, and a transaction begun before it, on
the way to a write that is otherwise one statement (portal.inserts). The entry is kept here instead, and the
statement that writes the case confirms it: the case is written only if the catalogue still says what the
kept entry says (the codes, the service's case type, the severity's response time). If staff changed it in
the meantime, nothing is written, the entry is forgotten, and the call runs again with the catalogue as it is
now. Outside an API call's deferred writes, and on databases other than PostgreSQL, nothing is kept.
"""

import threading
from collections import OrderedDict
from functools import cache

from django.db import connection

from portal.inserts import deferring, provided

from .models import Category, Service, SeverityLevel

MEMO_SIZE = 1024  # (service, category, severity) codes a process keeps, least recently used going first

# (category, severity, the values their statement confirms, as its one parameter) by codes
_memo: OrderedDict[tuple, tuple[Category, SeverityLevel, str]] = OrderedDict()
_lock = threading.Lock()


# Between the kept values in their one parameter: a character no code has.
_SEPARATOR = "\x1f"


@cache
def _unchanged_sql() -> str:
    # The kept values come as one parameter: psycopg converts a statement's placeholders once, not on every call,
    # only for statements of at most 50 parameters, and CreateCase's rows take 45; as one text (not an array,
    # which costs more to send than the rest of the call's parameters).
    quote = connection.ops.quote_name
    category, service, severity = (quote(model._meta.db_table) for model in (Category, Service, SeverityLevel))
    return (
        f"EXISTS (SELECT 1 FROM (SELECT string_to_array(%s, chr(31)) AS x) kept "
        f"JOIN {category} c ON c.id = kept.x[1]::bigint "
        f"JOIN {service} s ON s.id = c.service_id JOIN {severity} v ON v.id = kept.x[5]::bigint "
        "WHERE c.code = kept.x[2] AND s.code = kept.x[3] AND s.case_type = kept.x[4] AND v.code = kept.x[6] "
        "AND v.first_response_minutes = kept.x[7]::integer)"
    )


def kept(codes: tuple[str, str, str]) -> tuple[Category, SeverityLevel] | None:
    """The entry kept for these (service, category, severity) codes, on the condition that the statement
    writing the call's rows confirms it; None when none is kept, or nothing would confirm it."""
    if connection.vendor != "postgresql" or not deferring():
        return None
    with _lock:
        entry = _memo.get(codes)
        if entry is None:
            return None
        _memo.move_to_end(codes)
    category, severity, confirmed = entry
    provided(_unchanged_sql(), [confirmed], otherwise=lambda: forget(codes))
    return category, severity


def keep(codes: tuple[str, str, str], category: Category, severity: SeverityLevel) -> None:
    """Keep the entry just read. Its instances are shared by the process's threads: nobody changes them."""
    if connection.vendor != "postgresql":
        return
    service = category.service
    values = [str(value) for value in (category.pk, category.code, service.code, service.case_type, severity.pk,
                                       severity.code, severity.first_response_minutes)]
    if any(_SEPARATOR in value for value in values):
        return  # a code with the separator in it could never be confirmed
    with _lock:
        _memo[codes] = (category, severity, _SEPARATOR.join(values))
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def forget(codes: tuple[str, str, str]) -> None:
    with _lock:
        _memo.pop(codes, None)
