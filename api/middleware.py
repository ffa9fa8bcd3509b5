from django.urls import resolve

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
        request.resolver_match = match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs)
