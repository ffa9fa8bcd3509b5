"""What the IAM console views share: loading an identity, running a service, showing its errors."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from ..access_advisor import service_last_accessed
from ..authorization import is_allowed
from ..exceptions import AccessDenied, IAMError
from ..forms import add_service_error
from ..identity_kinds import KINDS, IdentityKind, kind_of


def kind_event(template: str):
    """The event of a view shared by users, groups and roles, for the URL's kind: 'Attach{}Policy'."""
    return lambda request, kind_key, **kwargs: KINDS[kind_key].action(template)


def membership_event(request, **kwargs) -> str:
    """Group membership forms post remove=<name> to take a user out, anything else adds one."""
    return "iam:RemoveUserFromGroup" if request.POST.get("remove") else "iam:AddUserToGroup"


def name_search(request, queryset):
    """The lists' search box: ?q= keeps the rows whose name contains it (any case)."""
    query = request.GET.get("q", "").strip()
    return (queryset.filter(name__icontains=query) if query else queryset), query


def load_identity(request, kind_key: str, name: str):
    """A user, group or role of the caller's account; another account's is simply not found."""
    kind: IdentityKind = KINDS[kind_key]
    return kind, get_object_or_404(kind.model.objects.select_related("account"), account=request.account, name=name)


def submit(form, action: Callable[[dict], object]):
    """Validate the form and run the service; a service error lands beside its field. Returns the result or None."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data) or True
    except AccessDenied:
        raise
    except IAMError as error:
        add_service_error(form, error)
        return None


def perform(request, action: Callable[[], object], success: str, redirect_to: str, *, on_error: str | None = None):
    """Run a one-button change (detach, delete, deactivate); report success or the service's error."""
    try:
        action()
    except AccessDenied:
        raise
    except IAMError as error:
        messages.error(request, f"{error.code}: {error.message}")
        response = redirect(on_error or redirect_to)
        response.console_error = (error.code, error.message)  # the event history records the failure
        return response
    messages.success(request, success)
    return redirect(redirect_to)


def permissions_context(principal, identity) -> dict:
    """The permissions panel of a user, group or role: attached and inline policies and what may change."""
    kind = kind_of(identity)
    attached = list(identity.attached_policies.select_related("account"))
    protected = getattr(identity, "is_service_linked", False)
    return {
        "kind": kind,
        "identity": identity,
        "attached": attached,
        "inline": list(identity.inline_policies.all()),
        "can_attach": not protected and is_allowed(principal, kind.action("Attach{}Policy"), identity.arn),
        "can_detach": not protected and is_allowed(principal, kind.action("Detach{}Policy"), identity.arn),
        "can_put_inline": not protected and is_allowed(principal, kind.action("Put{}Policy"), identity.arn),
        "can_delete_inline": not protected and is_allowed(principal, kind.action("Delete{}Policy"), identity.arn),
    }


def detail_tabs(request, tabs: tuple[tuple[str, str], ...]) -> dict:
    """The tabs of a user, group or role page; ?tab= picks one (an unknown one: the first). Every panel is
    rendered and the others are hidden, so each tab is also a plain link that works without script."""
    wanted = request.GET.get("tab", "")
    keys = [key for key, _ in tabs]
    return {"tabs": tabs, "current_tab": wanted if wanted in keys else keys[0]}


def detail_url(kind, identity, tab: str = "") -> str:
    """Where a change on a user, group or role page returns: its page, on the tab the change was made in."""
    url = reverse(f"iam:{kind.key}-detail", args=[identity.name])
    return f"{url}?tab={tab}" if tab else url


def access_advisor_context(principal, identity, tabs: dict) -> dict | None:
    """The Access Advisor tab: the services the identity's policies allow, and when it (or a session of the
    role) last called each, from the event history (iam.access_advisor, as GetServiceLastAccessedDetails).
    Generated on demand, as in the console: only when the page is opened on that tab (None otherwise)."""
    if tabs["current_tab"] != "access-advisor":
        return None
    allowed = is_allowed(principal, "iam:GenerateServiceLastAccessedDetails", identity.arn)
    return {"allowed": allowed, "services": (service_last_accessed(identity.account, identity.arn) or []) if allowed else []}
