"""Tags of IAM users and roles: the values aws:PrincipalTag/<key> conditions compare."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.console import console_view

from ..authorization import authorize, is_allowed
from ..forms import TagForm
from ..identity_kinds import kind_of
from ..services import tag_identity, untag_identity
from .common import detail_url, kind_event, load_identity, perform, submit


def tags_context(principal, identity) -> dict:
    """The tags panel of a user or role."""
    kind = kind_of(identity)
    protected = getattr(identity, "is_service_linked", False)
    return {
        "kind": kind,
        "identity": identity,
        "tags": sorted(identity.tags.items(), key=lambda item: item[0].lower()),
        "can_tag": not protected and is_allowed(principal, kind.action("Tag{}"), identity.arn),
        "can_untag": not protected and is_allowed(principal, kind.action("Untag{}"), identity.arn),
    }


def _detail_url(kind, identity) -> str:
    return detail_url(kind, identity, "tags")


@console_view(event=kind_event("Tag{}"))
def tag(request, kind_key, name):
    """Add a tag (or give an existing key a new value)."""
    kind, identity = load_identity(request, kind_key, name)
    key, value = request.POST.get("key", ""), request.POST.get("value", "")
    request_keys = {"aws:TagKeys": [key], f"aws:RequestTag/{key}": value} if request.method == "POST" else {}
    authorize(request.principal, kind.action("Tag{}"), identity.arn, request_keys)
    form = TagForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: tag_identity(identity, {data["key"]: data["value"]})):
        messages.success(request, f"Tag {key} saved on {identity.name}.")
        return redirect(_detail_url(kind, identity))
    return render(request, "iam/tag_form.html", {"form": form, "kind": kind, "identity": identity})


@console_view(event=kind_event("Untag{}"))
@require_POST
def untag(request, kind_key, name):
    kind, identity = load_identity(request, kind_key, name)
    key = request.POST.get("key", "")
    authorize(request.principal, kind.action("Untag{}"), identity.arn, {"aws:TagKeys": [key]})
    return perform(request, lambda: untag_identity(identity, [key]), f"Tag {key} removed from {identity.name}.",
                   _detail_url(kind, identity))
