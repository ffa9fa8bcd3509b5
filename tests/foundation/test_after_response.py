"""portal.after_response: work a request leaves runs once its response has been sent, and never gets lost."""

import logging

import pytest
from django.http import HttpResponse

from portal.after_response import after_response, deferring, wait_until_settled
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
