from functools import lru_cache

from django.conf import settings
from django.urls import get_urlconf, resolve

from portal.after_response import deferring

API_PREFIX = "/api/"


class ApiShortcutMiddleware:
    """Requests for the AWS APIs go straight to their view.

    The APIs answer machines that sign each request: nothing of the console's middleware below this one
    (sessions, CSRF, messages, the console principal, htmx, CSP, practice activity) applies to them, and
    skipping it is a good part of a fast call's time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS is refused (400) here, as CommonMiddleware does for pages
        request.resolver_match = match = _resolved(request.path_info, get_urlconf() or settings.ROOT_URLCONF)
        with deferring() as attach:  # what a call leaves for after its answer (portal.after_response)
            response = match.func(request, *match.args, **match.kwargs)
            if not response.streaming and not response.has_header("Content-Length"):
                # As AWS does (and CommonMiddleware would): without it gunicorn sends the answer in chunks.
                response.headers["Content-Length"] = str(len(response.content))
            return attach(response)


@lru_cache(maxsize=256)
def _resolved(path: str, urlconf):
    # A handful of API paths, each resolved on every call by walking the whole URLconf.
    return resolve(path, urlconf)
