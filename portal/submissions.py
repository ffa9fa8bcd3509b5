"""One-time submission tokens: a form sent twice (a double click, a resent request) makes one object.

Every create or reply form carries a hidden `submission_token` (`{% submission_token %}` from
portal/templatetags/submissions.py, a fresh random value per rendering). A view decorated with
`@one_time_submission` claims the token with an atomic cache.add (Redis SETNX when REDIS_URL is
set, so every web machine agrees) before it runs:
- the first request runs the view; when it succeeded (a redirect, or a response the view passed to
  `done()`) its response is kept for the token, otherwise the claim is released so the corrected
  form can be sent again;
- a repeat waits for the first to finish and gets the first's response: the same redirect to the
  same case, the same refreshed conversation; nothing is created twice.
A POST without a token is served as before (API clients have their own idempotency tokens).
"""

import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

FIELD = "submission_token"
KEPT_SECONDS = 60 * 60
WAIT_SECONDS = 30
PENDING = "pending"


def done(response: HttpResponse) -> HttpResponse:
    """Mark a non-redirect response (an htmx fragment) as the outcome of a successful submission."""
    response.submission_done = True
    return response


def _succeeded(response: HttpResponse) -> bool:
    return getattr(response, "submission_done", False) or 300 <= response.status_code < 400 or "HX-Redirect" in response


def _key(request, token: str) -> str:
    owner = request.session.session_key or request.META.get("REMOTE_ADDR", "")
    return f"submission:{owner}:{request.path}:{token[:64]}"


def _first_outcome(key: str) -> HttpResponse | None:
    """Wait for the request that claimed the token; None when it failed (the claim was released)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        kept = cache.get(key)
        if kept is None:
            return None
        if kept != PENDING:
            return kept
        time.sleep(0.05)
    return HttpResponse("This form is still being processed. Reload the page in a moment.", status=409)


def one_time_submission(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        key = _key(request, token)
        while not cache.add(key, PENDING, KEPT_SECONDS):
            outcome = _first_outcome(key)
            if outcome is not None:
                return outcome
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if _succeeded(response):
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            cache.set(key, response, KEPT_SECONDS)
        else:
            cache.delete(key)
        return response

    return wrapper
