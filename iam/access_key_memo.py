"""Verified access keys kept per process, confirmed current by their rows' versions on every call.

A signed call needs its access key with the key's account and user: a query joining three tables that the
ORM builds and PostgreSQL plans on every call. Kept here per process, the same rows are instead confirmed by
their version, `xmin` and `ctid` (the transaction that wrote the row's current version, and where it
lies: an UPDATE writes a new version elsewhere, even twice in one transaction), in a tiny query with nothing
to build. Any write to the key (deactivation, deletion, its last use), to its account (status, IAM policy
version) or to its user changes them, so the next call reloads the rows: a change takes effect on the next call, in every process,
with no cache to invalidate. Databases without row versions (SQLite) read the rows each time.
"""

import threading
from collections import OrderedDict

from django.db import InterfaceError, OperationalError, connection
from django.db.models.base import ModelState

from accounts.models import Account

from .models import AccessKey, IAMUser
from .selectors import access_key_with_secret

MEMO_SIZE = 4096  # keys one process keeps (least recently used go first)

_memo: OrderedDict[str, tuple[tuple, AccessKey, str]] = OrderedDict()
_lock = threading.Lock()

_ROW_VERSIONS = (
    f'SELECT k.id, k.xmin::text, k.ctid::text, a.id, a.xmin::text, a.ctid::text, u.id, u.xmin::text, u.ctid::text '
    f'FROM "{AccessKey._meta.db_table}" k '
    f'JOIN "{Account._meta.db_table}" a ON a.id = k.account_id '
    f'LEFT JOIN "{IAMUser._meta.db_table}" u ON u.id = k.user_id WHERE k.access_key_id = %s'
)


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


def _row_versions(access_key_id: str) -> tuple | None:
    """The rows' versions. As a request's first query it is also the connection's health check, which Django
    would otherwise make with a SELECT 1 of its own: a connection the database dropped since the last request
    (a restart) is replaced and the query made again."""
    check_due = connection.health_check_enabled and not connection.health_check_done and not connection.in_atomic_block
    if check_due:
        connection.health_check_done = True
    try:
        return _fetch_row_versions(access_key_id)
    except (InterfaceError, OperationalError):
        if not check_due:
            raise
        connection.close()
        return _fetch_row_versions(access_key_id)


def _fetch_row_versions(access_key_id: str) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(_ROW_VERSIONS, [access_key_id])
        return cursor.fetchone()


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
