from datetime import datetime

from django.utils import timezone

from .services.practice import ACTIVITY_RESOLUTION, record_activity

SESSION_KEY = "training_activity_noted_at"


class PracticeActivityMiddleware:
    """Keep practice accounts' last activity current, writing at most once per ACTIVITY_RESOLUTION per session.

    Runs after ConsolePrincipalMiddleware, which sets request.account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        account = getattr(request, "account", None)
        if account is not None:
            now = timezone.now()
            noted = request.session.get(SESSION_KEY)
            if noted is None or now - datetime.fromisoformat(noted) >= ACTIVITY_RESOLUTION:
                # Only a practice account's session remembers the write; other accounts' updates match no row.
                if record_activity(account, now):
                    request.session[SESSION_KEY] = now.isoformat()
        return self.get_response(request)
