"""Verified access keys kept per process, confirmed current by their rows' versions on every call.

A signed call needs its access key with the key's account and user: a query joining three tables that the
ORM builds and PostgreSQL plans on every call. Kept here per process, the same rows are instead confirmed by
their version, `xmin` and `ctid` (the transaction that wrote the row's current version, and where it
lies: an UPDATE writes a new version elsewhere, even twice in one transaction), in a tiny query with nothing
to build. Any write to the key (deactivation, deletion, its last use), to its account (status, IAM policy
version) or to its user changes them, so the next call reloads the rows: a change takes effect on the next call, in every process,
with no cache to invalidate. Databases without row versions (SQLite) read the rows each time.

A call whose writes all go in one statement at its end (CreateCase, CreateUser) may instead go ahead with the
kept rows unconfirmed (`kept_access_key`) and make their versions a condition of that statement
(`unchanged_condition`): if a row changed, nothing is written and the call is answered anew with the key read
again. One round trip fewer, the same answers.
"""

import contextlib
import select
import threading
from collections import OrderedDict

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models.base import ModelState

from accounts.models import Account

from .models import AccessKey, IAMUser
from .selectors import access_key_with_secret
from .services.access_keys import access_key_use_due

MEMO_SIZE = 4096  # keys one process keeps (least recently used go first)

_memo: OrderedDict[str, tuple[str, AccessKey, str]] = OrderedDict()
_lock = threading.Lock()

# The versions as one text ("/" cannot appear in an ID, an xmin or a ctid; a key's user, or its lack, never
# changes): one parameter for the write that confirms them, where an array would cost more to send than the rest.
_VERSIONS = "concat_ws('/', k.id, k.xmin, k.ctid, a.id, a.xmin, a.ctid, u.id, u.xmin, u.ctid)"
_OF_KEY = (
    f'FROM "{AccessKey._meta.db_table}" k '
    f'JOIN "{Account._meta.db_table}" a ON a.id = k.account_id '
    f'LEFT JOIN "{IAMUser._meta.db_table}" u ON u.id = k.user_id WHERE k.access_key_id = %s'
)
_ROW_VERSIONS = f"SELECT {_VERSIONS} {_OF_KEY}"
_UNCHANGED = f"EXISTS (SELECT 1 {_OF_KEY} AND {_VERSIONS} = %s)"


def verified_access_key(access_key_id: str) -> tuple[AccessKey, str] | None:
    """Like `access_key_with_secret`, from this process's memo when none of the three rows changed since."""
    if connection.vendor != "postgresql":
        return access_key_with_secret(access_key_id)
    versions = _row_versions(access_key_id)
    if versions is None:
        return None
    with _lock:
        kept = _memo.get(access_key_id)
        if kept is not None and kept[0] == versions:
            _memo.move_to_end(access_key_id)
            return _private_copy(kept[1]), kept[2]
    found = access_key_with_secret(access_key_id)
    if found is None:
        return None
    with _lock:
        # Versions read before the rows: if a write fell between the two, the next call reloads once more.
        _memo[access_key_id] = (versions, _private_copy(found[0]), found[1])
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return found


def kept_access_key(access_key_id: str) -> tuple[AccessKey, str, str] | None:
    """The key, its secret and its rows' versions as this process last confirmed them, not confirmed now: for a
    call that makes unchanged_condition() a condition of its writes. None when the process keeps no usable key of
    that ID (or on SQLite), or when the call will write the key's last use (which changes its row): the caller
    then uses verified_access_key()."""
    if connection.vendor != "postgresql":
        return None
    with _lock:
        kept = _memo.get(access_key_id)
        if kept is None:
            return None
        versions, key, secret = kept
        _memo.move_to_end(access_key_id)
    if not (key.is_active and key.account.is_active) or access_key_use_due(key):
        return None
    _replace_if_closed_by_the_database()
    return _private_copy(key), secret, versions


def unchanged_condition(access_key_id: str, versions: str) -> tuple[str, list]:
    """SQL (and its parameters) that holds while the key, its account and user are the versions kept."""
    return _UNCHANGED, [access_key_id, versions]


def still_unchanged(access_key_id: str, versions: str) -> bool:
    """Whether the key, its account and user are still the versions kept, asked now."""
    return _row_versions(access_key_id) == versions


def _replace_if_closed_by_the_database() -> None:
    """The health check of a request whose first statement is its write: a connection the database closed since
    the last request (a restart) is replaced first, so that the write is never sent down a dead connection,
    where its failure could not say whether it was written. The database closing a connection leaves its
    socket readable while it is idle: one poll, no round trip."""
    if not _health_check_due():
        return
    raw = connection.connection
    if raw is None:
        return  # not connected yet: the write connects
    try:
        closed = raw.closed or bool(select.select([raw.fileno()], [], [], 0)[0])
    except (OSError, ValueError, DatabaseError):
        closed = True
    if closed:
        with contextlib.suppress(DatabaseError):
            connection.close()


def _row_versions(access_key_id: str) -> str | None:
    """The rows' versions. As a request's first query it is also the connection's health check, which Django
    would otherwise make with a SELECT 1 of its own: a connection the database dropped since the last request
    (a restart) is replaced and the query made again."""
    check_due = _health_check_due()
    try:
        return _fetch_row_versions(access_key_id)
    except (InterfaceError, OperationalError):
        if not check_due:
            raise
        connection.close()
        return _fetch_row_versions(access_key_id)


def _health_check_due() -> bool:
    """Whether the connection's health is to be checked now (a request's first query, with Django's
    CONN_HEALTH_CHECKS), taking the check as made."""
    due = connection.health_check_enabled and not connection.health_check_done and not connection.in_atomic_block
    if due:
        connection.health_check_done = True
    return due


def _fetch_row_versions(access_key_id: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(_ROW_VERSIONS, [access_key_id])
        row = cursor.fetchone()
    return row[0] if row is not None else None


def _private_copy(key: AccessKey) -> AccessKey:
    """The key, its account and user as objects of their own: a request may change them (its last use)."""
    account = _copied(key.account)
    user = _copied(key.user) if key.user is not None else None
    key = _copied(key)
    key.account = account
    key.user = user
    if user is not None:
        user.account = account
    return key


def _copied(row):
    """copy.copy of a model instance (what Model.__getstate__ keeps) without pickling's detour through
    __reduce_ex__, which costs more than the rest of verifying a memoized key."""
    clone = row.__class__.__new__(row.__class__)
    clone.__dict__.update(row.__dict__)
    clone._state = ModelState()
    clone._state.db, clone._state.adding = row._state.db, row._state.adding
    clone._state.fields_cache = dict(row._state.fields_cache)
    return clone
