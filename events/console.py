"""Console changes into the event history: what portal.console.console_view records after a POST succeeds."""

from django.http import HttpRequest, HttpResponse

from .models import EventType
from .services import is_read_only, record_event

# A console change that worked answers with a redirect (POST/redirect/GET) or, for htmx, a client redirect.
_HTMX_REDIRECTS = ("HX-Redirect", "HX-Location", "HX-Refresh")


def succeeded(response: HttpResponse) -> bool:
    """A redirect, or a view that says so: an htmx change that answers with the updated fragment
    (a case reply) sets `response.console_change = True`."""
    return (
        300 <= response.status_code < 400
        or any(header in response for header in _HTMX_REDIRECTS)
        or getattr(response, "console_change", False)
    )


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def _parameters(request: HttpRequest) -> dict:
    """The form's fields, and the resource the URL names (a user name, a case number...), in camelCase as
    CloudTrail writes request parameters."""
    match = getattr(request, "resolver_match", None)
    values = {_camel(key): str(value) for key, value in (match.kwargs if match else {}).items()}
    values |= {key: (items[0] if len(items) == 1 else items) for key, items in request.POST.lists()}
    values.pop("csrfmiddlewaretoken", None)
    if request.FILES:
        values["files"] = [upload.name for upload in request.FILES.values()]
    return values


def record_console_action(request: HttpRequest, action: str, response: HttpResponse) -> None:
    """Record a successful console POST under the IAM action it performed (e.g. "iam:CreateUser").

    Reads are not management events worth keeping from the console, so only writes are recorded.
    A view whose change was refused but still redirects (with a message) sets
    `response.console_error = (code, message)`: the event then carries errorCode and errorMessage.
    A view may name parameters the form does not carry in `response.console_parameters`
    (CreateAccessKey's userName).
    """
    service, _, operation = action.partition(":")
    if request.method != "POST" or not operation or is_read_only(operation) or not succeeded(response):
        return
    error_code, error_message = getattr(response, "console_error", ("", ""))
    record_event(
        request.principal,
        event_source=f"{service}.amazonaws.com",
        event_name=operation,
        event_type=EventType.CONSOLE_ACTION,
        request_parameters=(_parameters(request) | getattr(response, "console_parameters", {})) or None,
        source_ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        error_code=error_code,
        error_message=error_message,
    )
