"""Services' transactions, and the one transaction of an API call.

An API call that writes runs in a single transaction that any error rolls back as a whole (api.dispatch).
Within it, a service's own atomic block gains nothing from a savepoint (nothing ever resumes after a part of
the call failed) and would pay two more round trips to the database for one. Everywhere else (the console,
jobs, tests that go on after a refusal) a nested block keeps its savepoint, as transaction.atomic does.

The rows the call inserts with defer=True (portal.inserts) are written together at its end: when they are all
the call writes, in one statement that commits by itself. If they cannot be written as they were built (a
unique value taken, a kept catalogue entry changed), the call runs again without waiting rows, and then
meets the plain refusal or draws again itself.
"""

import functools
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from django.db import transaction

from .inserts import deferred_inserts

_all_or_nothing: ContextVar[bool] = ContextVar("all_or_nothing", default=False)


@contextmanager
def all_or_nothing(*, deferring: bool = True):
    """One transaction for everything in the block, rolled back whole on any error. `deferring`: rows inserted
    with defer=True wait until its end (portal.inserts); without it they are written at once."""
    token = _all_or_nothing.set(True)
    try:
        alone = not transaction.get_connection().in_atomic_block
        with transaction.atomic(), deferred_inserts(alone=alone) if deferring else nullcontext():
            yield
    finally:
        _all_or_nothing.reset(token)


def atomic(function=None):
    """transaction.atomic (as a block or a decorator), without a savepoint within all_or_nothing().

    Only for services that let every error out: one caught inside all_or_nothing() would leave the
    whole transaction to roll back."""
    if function is not None:

        @functools.wraps(function)
        def in_transaction(*args, **kwargs):
            with atomic():
                return function(*args, **kwargs)

        return in_transaction
    return transaction.atomic(savepoint=not _all_or_nothing.get())
