"""The transition table, enforced in one function, checked pair by pair and actor by actor."""

import threading

import pytest
from django.db import connection

from cases import lifecycle
from cases.exceptions import IllegalTransition
from cases.lifecycle import SYSTEM_ACTOR, Actor
from cases.models import AuthorKind, Case, CaseStatus, CaseTransition

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

O = CaseStatus
OPEN = [O.UNASSIGNED, O.WORK_IN_PROGRESS, O.PENDING_CUSTOMER_ACTION, O.PENDING_AMAZON_ACTION, O.CUSTOMER_ACTION_COMPLETED, O.REOPENED]
ENGINEER_TARGETS = [O.WORK_IN_PROGRESS, O.PENDING_CUSTOMER_ACTION, O.PENDING_AMAZON_ACTION]

# Written out by hand (not derived from the code under test): who may make each move.
LEGAL = {
    **{(source, target): {"amazon"} for source in OPEN for target in ENGINEER_TARGETS if source != target},
    **{(source, O.RESOLVED): {"customer", "amazon", "system"} for source in OPEN},
    (O.PENDING_CUSTOMER_ACTION, O.CUSTOMER_ACTION_COMPLETED): {"customer"},
    (O.RESOLVED, O.REOPENED): {"customer"},
}
ACTORS = {
    "customer": Actor(AuthorKind.CUSTOMER, "root@example.com"),
    "amazon": Actor(AuthorKind.AMAZON, "engineer"),
    "system": SYSTEM_ACTOR,
}
EVERY_MOVE = [(source, target, kind) for source in CaseStatus for target in CaseStatus for kind in ACTORS]


@pytest.mark.parametrize("source, target, kind", EVERY_MOVE, ids=lambda value: str(value))
def test_every_pair_of_statuses_for_every_kind_of_actor(source, target, kind):
    case = CaseFactory(status=source)
    if kind in LEGAL.get((source, target), set()):
        record = lifecycle.transition(case, target, actor=ACTORS[kind])
        case.refresh_from_db()
        assert case.status == target
        assert (record.from_status, record.to_status, record.actor_kind, record.actor_name) == (
            source, target, kind, ACTORS[kind].name,
        )
    else:
        with pytest.raises(IllegalTransition):
            lifecycle.transition(case, target, actor=ACTORS[kind])
        case.refresh_from_db()
        assert case.status == source
        assert not CaseTransition.objects.exists()


def test_the_table_in_the_code_matches_the_one_written_here():
    assert set(lifecycle.ALLOWED_TRANSITIONS) == set(LEGAL)
    assert {pair: set(kinds) for pair, kinds in lifecycle.ALLOWED_TRANSITIONS.items()} == LEGAL


def test_an_illegal_move_says_what_was_refused():
    case = CaseFactory(status=O.UNASSIGNED)
    with pytest.raises(IllegalTransition, match="unassigned cannot be moved to reopened by customer"):
        lifecycle.transition(case, O.REOPENED, actor=ACTORS["customer"])


def test_an_unknown_status_is_refused():
    with pytest.raises(IllegalTransition, match="not a case status"):
        lifecycle.transition(CaseFactory(), "closed", actor=ACTORS["amazon"])


def test_a_stale_copy_is_checked_against_the_fresh_status():
    case = CaseFactory(status=O.WORK_IN_PROGRESS)
    stale = Case.objects.get(pk=case.pk)
    lifecycle.transition(case, O.RESOLVED, actor=ACTORS["customer"])
    with pytest.raises(IllegalTransition):
        lifecycle.transition(stale, O.PENDING_CUSTOMER_ACTION, actor=ACTORS["amazon"])
    assert Case.objects.get(pk=case.pk).status == O.RESOLVED


def test_ensure_status_leaves_a_case_already_there_and_reads_the_fresh_status():
    case = CaseFactory(status=O.WORK_IN_PROGRESS)
    stale = Case.objects.get(pk=case.pk)
    assert lifecycle.ensure_status(case, O.WORK_IN_PROGRESS, actor=ACTORS["amazon"]) == O.WORK_IN_PROGRESS
    assert not CaseTransition.objects.exists()
    lifecycle.transition(case, O.PENDING_CUSTOMER_ACTION, actor=ACTORS["amazon"])
    # The stale copy still says work in progress: the move back is made and recorded all the same.
    assert lifecycle.ensure_status(stale, O.WORK_IN_PROGRESS, actor=ACTORS["amazon"]) == O.PENDING_CUSTOMER_ACTION
    assert stale.status == O.WORK_IN_PROGRESS == Case.objects.get(pk=case.pk).status
    assert CaseTransition.objects.count() == 2
    lifecycle.transition(case, O.RESOLVED, actor=ACTORS["customer"])
    with pytest.raises(IllegalTransition):
        lifecycle.ensure_status(stale, O.WORK_IN_PROGRESS, actor=ACTORS["amazon"])


def test_transition_many_moves_only_what_may_move_and_records_each():
    movable = CaseFactory.create_batch(3, status=O.PENDING_CUSTOMER_ACTION)
    resolved = CaseFactory(status=O.RESOLVED)
    moved = lifecycle.transition_many(Case.objects.all(), O.RESOLVED, actor=SYSTEM_ACTOR)
    assert sorted(moved) == sorted(case.pk for case in movable)
    assert CaseTransition.objects.filter(to_status=O.RESOLVED, actor_kind="system").count() == 3
    assert not CaseTransition.objects.filter(case=resolved).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_case_never_lose_a_transition():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    case = CaseFactory(status=O.WORK_IN_PROGRESS)
    barrier = threading.Barrier(2)
    outcomes = []

    def move(target, kind):
        barrier.wait()
        try:
            lifecycle.transition(Case.objects.get(pk=case.pk), target, actor=ACTORS[kind])
            outcomes.append(target)
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(O.PENDING_CUSTOMER_ACTION, "amazon")),
        threading.Thread(target=move, args=(O.PENDING_AMAZON_ACTION, "amazon")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = list(CaseTransition.objects.filter(case=case).order_by("pk").values_list("from_status", "to_status"))
    # Both moves are legal in either order; each is recorded from the status it really left.
    assert history[0][0] == O.WORK_IN_PROGRESS
    assert len(history) == 2 and "refused" not in outcomes
    assert history[0][1] == history[1][0]
    assert Case.objects.get(pk=case.pk).status == history[1][1]
