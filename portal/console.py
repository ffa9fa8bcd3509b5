"""What every customer console view needs: a signed-in principal and the IAM check."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from events.console import record_console_action
from iam.authorization import authorize


def sign_in_redirect(request):
    target = f"{reverse('signin')}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def console_view(
    action: str | None = None, *, allow_closed_account: bool = False, event: str | Callable[..., str] | None = None
):
    """Require a signed-in customer; when an action is named, require IAM to allow it.

    Views that act on one resource call iam.authorization.authorize() themselves
    with the resource's ARN, after loading it from the caller's own account.
    A closed account's root user (post-closure period) reaches only the views
    that say allow_closed_account=True.

    A POST that succeeds (redirects) under a write action is recorded in the event
    history: under `event` when given (for views that authorize themselves, e.g.
    event="iam:CreateUser"), else under `action`. `event` may also be a function of the
    request and the view's arguments, called before a POST runs (for views whose action
    depends on them, e.g. AttachUserPolicy or AttachRolePolicy).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.principal is None:
                return sign_in_redirect(request)
            if not request.account.is_active and not allow_closed_account:
                return render(request, "portal/account_closed.html", status=403)
            if action:
                authorize(request.principal, action)
            recorded = event
            if callable(event):
                recorded = event(request, *args, **kwargs) if request.method == "POST" else None
            response = view(request, *args, **kwargs)
            if recorded or action:
                record_console_action(request, recorded or action, response)
            return response

        return wrapped

    return decorator
