"""portal.after_response: work a request leaves runs once its response has been sent, and never gets lost."""

import logging

import pytest
from django.http import HttpResponse

from portal.after_response import Batch, after_response, after_response_in, deferring, wait_until_settled
from tests.responses import close_as_server


def test_outside_a_request_the_work_runs_at_once():
    done = []
    after_response(lambda: done.append("now"))
    assert done == ["now"]


def test_inside_a_request_the_work_waits_for_the_response_to_close_and_runs_once():
    done = []
    with deferring() as attach:
        after_response(lambda: done.append("first"))
        after_response(lambda: done.append("second"))
        response = attach(HttpResponse("answer"))
    assert done == []
    close_as_server(response)
    assert done == ["first", "second"]
    close_as_server(response)
    assert done == ["first", "second"]


def test_a_failing_piece_is_logged_and_the_rest_still_runs(caplog):
    done = []
    with deferring() as attach:
        after_response(lambda: 1 / 0)
        after_response(lambda: done.append("after"))
        response = attach(HttpResponse())
    with caplog.at_level(logging.ERROR, logger="portal.after_response"):
        close_as_server(response)
    assert done == ["after"]
    assert "ZeroDivisionError" in caplog.text


def test_when_the_view_raises_the_work_runs_before_the_error_goes_on():
    done = []
    with pytest.raises(RuntimeError):
        with deferring():
            after_response(lambda: done.append("kept"))
            raise RuntimeError("the view failed")
    assert done == ["kept"]
    after_response(lambda: done.append("outside again"))
    assert done == ["kept", "outside again"]


def test_waiting_until_settled_ends_once_every_sent_response_s_work_has_run():
    with deferring() as attach:
        after_response(lambda: None)
        response = attach(HttpResponse())
    assert wait_until_settled(timeout=0.01) is False
    close_as_server(response)
    assert wait_until_settled(timeout=0.01) is True


# ---- batches ---------------------------------------------------------------------------------------


def _recording_batch(**options) -> tuple[Batch, list]:
    handed_over = []
    return Batch(lambda items: handed_over.append(list(items)), **options), handed_over


def test_outside_a_request_an_item_is_handed_over_at_once_alone():
    batch, handed_over = _recording_batch(size=10, wait=60)
    after_response_in(batch, "mail 1")
    assert handed_over == [["mail 1"]]


def test_the_items_of_several_responses_are_handed_over_together_once_those_responses_are_sent():
    batch, handed_over = _recording_batch(size=10, wait=0.05)
    responses = []
    for number in (1, 2, 3):
        with deferring() as attach:
            after_response_in(batch, f"mail {number}")
            responses.append(attach(HttpResponse()))
    assert handed_over == []
    for response in responses:
        close_as_server(response)
    assert wait_until_settled(timeout=5) is True
    assert handed_over == [["mail 1", "mail 2", "mail 3"]]


def test_until_its_batch_is_handed_over_an_item_is_unsettled_work():
    batch, handed_over = _recording_batch(size=10, wait=0.3)
    with deferring() as attach:
        after_response_in(batch, "mail")
        response = attach(HttpResponse())
    close_as_server(response)
    assert wait_until_settled(timeout=0.01) is False
    assert wait_until_settled(timeout=5) is True
    assert handed_over == [["mail"]]


def test_a_full_batch_goes_without_waiting_and_holds_at_most_its_size():
    batch, handed_over = _recording_batch(size=2, wait=60)
    for number in (1, 2, 3, 4):
        batch.add(number)
    assert wait_until_settled(timeout=5) is True  # long before the 60 s a partial batch would wait
    assert sorted(map(len, handed_over)) == [2, 2]
    assert sorted(item for items in handed_over for item in items) == [1, 2, 3, 4]


def test_a_failing_hand_over_is_logged_and_the_next_batch_still_goes(caplog):
    handed_over = []

    def hand_over(items):
        if items == ["bad"]:
            raise RuntimeError("the queue refused")
        handed_over.append(items)

    batch = Batch(hand_over, size=1, wait=60)
    with caplog.at_level(logging.ERROR, logger="portal.after_response"):
        batch.add("bad")
        assert wait_until_settled(timeout=5) is True
    batch.add("good")
    assert wait_until_settled(timeout=5) is True
    assert handed_over == [["good"]]
    assert "the queue refused" in caplog.text


def test_a_process_that_exits_hands_over_what_is_waiting_first():
    batch, handed_over = _recording_batch(size=10, wait=60)
    batch.add("mail 1")
    batch.add("mail 2")
    batch._flush_at_exit()  # registered with atexit
    assert handed_over == [["mail 1", "mail 2"]]
    assert wait_until_settled(timeout=0.01) is True


def test_at_exit_a_batch_waits_only_for_its_own_items():
    import time

    batch, handed_over = _recording_batch(size=10, wait=60)
    with deferring() as attach:
        after_response(lambda: None)
        unsent = attach(HttpResponse())  # another response's work, still waiting for its response to close
    batch.add("mail")
    started = time.monotonic()
    batch._flush_at_exit()
    assert handed_over == [["mail"]] and time.monotonic() - started < 5
    close_as_server(unsent)
    assert wait_until_settled(timeout=1) is True
