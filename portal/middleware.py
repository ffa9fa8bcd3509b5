from django.contrib import messages
from django.template.response import TemplateResponse

from iam.exceptions import AccessDenied
from iam.sessions import principal_from_session

from . import outbox


class ConsolePrincipalMiddleware:
    """Attach the signed-in customer principal and its account to every request,
    and turn an IAM denial anywhere below into the console's 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.principal = principal_from_session(request)
        request.account = request.principal.account if request.principal else None
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessDenied):
            response = TemplateResponse(request, "403.html", {"denial": exception}, status=403)
            return response.render()
        return None


class QueuedWorkMiddleware:
    """Tell the user when the work their change asked for is waiting for the task queue (portal.outbox)."""

    MESSAGE = (
        "Your change is saved. The portal's task queue is unreachable right now, so the work it starts "
        "is queued and will run as soon as the queue is back."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with outbox.deferred_messages() as deferred:
            response = self.get_response(request)
        if deferred and hasattr(request, "_messages"):
            messages.warning(request, self.MESSAGE)
        return response
