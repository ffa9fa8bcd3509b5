"""Attaching managed policies to, and writing inline policies of, users, groups and roles."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.console import console_view

from ..authorization import authorize
from ..exceptions import NoSuchEntity
from ..forms import InlinePolicyForm
from ..policy_review import pretty_document
from ..selectors import attachable_policies, find_policy_by_arn
from ..services import attach_policies, delete_inline_policy, detach_policy, put_inline_policy
from .common import detail_url, kind_event, load_identity, perform, submit


def _detail_url(kind, identity) -> str:
    return detail_url(kind, identity, "permissions")


def _policy_from_post(request):
    policy = find_policy_by_arn(request.account, request.POST.get("policy_arn", ""))
    if policy is None:
        raise NoSuchEntity(f"Policy {request.POST.get('policy_arn', '')} does not exist or is not attachable.")
    return policy


@console_view(event=kind_event("Attach{}Policy"))
def attach(request, kind_key, name):
    """"Add permissions": a searchable list of the policies not yet attached, with their descriptions;
    the ones ticked are attached together (each checked by IAM with its iam:PolicyARN)."""
    kind, identity = load_identity(request, kind_key, name)
    action = kind.action("Attach{}Policy")
    if request.method != "POST":
        authorize(request.principal, action, identity.arn)
        attached = list(identity.attached_policies.all())
        return render(request, "iam/policy_attach.html", {
            "kind": kind, "identity": identity, "policies": list(attachable_policies(request.account, exclude=attached)),
        })
    arns = request.POST.getlist("policy_arn")
    for arn in arns or [""]:
        authorize(request.principal, action, identity.arn, {"iam:PolicyARN": arn})
    if not arns:
        messages.error(request, "Choose at least one policy to attach.")
        return redirect(reverse(f"iam:{kind.key}-attach", args=[identity.name]))

    def attach_chosen():
        policies = [find_policy_by_arn(request.account, arn) for arn in arns]
        missing = next((arn for arn, policy in zip(arns, policies) if policy is None), None)
        if missing:
            raise NoSuchEntity(f"Policy {missing} does not exist or is not attachable.")
        attach_policies(identity, policies)

    count = len(arns)
    return perform(
        request, attach_chosen, f"{count} polic{'y' if count == 1 else 'ies'} attached to {identity.name}.",
        _detail_url(kind, identity), on_error=reverse(f"iam:{kind.key}-attach", args=[identity.name]),
    )


@console_view(event=kind_event("Detach{}Policy"))
@require_POST
def detach(request, kind_key, name):
    kind, identity = load_identity(request, kind_key, name)
    arn = request.POST.get("policy_arn", "")
    authorize(request.principal, kind.action("Detach{}Policy"), identity.arn, {"iam:PolicyARN": arn})
    return perform(
        request, lambda: detach_policy(identity, _policy_from_post(request)),
        f"Policy detached from {identity.name}.", _detail_url(kind, identity),
    )


@console_view(event=kind_event("Put{}Policy"))
def inline_edit(request, kind_key, name, policy_name=None):
    """Create (policy_name None) or edit an inline policy."""
    kind, identity = load_identity(request, kind_key, name)
    existing = identity.inline_policies.filter(name=policy_name).first() if policy_name else None
    if policy_name and existing is None:
        raise Http404(f"The {kind.key} policy with name {policy_name} cannot be found.")
    reading = request.method == "GET" and existing is not None
    authorize(request.principal, kind.action("Get{}Policy" if reading else "Put{}Policy"), identity.arn)
    initial = {"name": existing.name, "document": pretty_document(existing.document)} if existing else {}
    form = InlinePolicyForm(request.POST or None, initial=initial)
    form.fields["document"].policy_purpose = f"inline-{kind.key}"
    if existing:
        form.fields["name"].disabled = True
    if request.method == "POST":
        if submit(form, lambda data: put_inline_policy(identity, data["name"], data["document"])):
            messages.success(request, f"Inline policy {form.cleaned_data['name']} saved.")
            return redirect(_detail_url(kind, identity))
    return render(
        request, "iam/inline_policy_form.html",
        {"form": form, "kind": kind, "identity": identity, "existing": existing},
    )


@console_view(event=kind_event("Delete{}Policy"))
@require_POST
def inline_delete(request, kind_key, name, policy_name):
    kind, identity = load_identity(request, kind_key, name)
    authorize(request.principal, kind.action("Delete{}Policy"), identity.arn)
    return perform(
        request, lambda: delete_inline_policy(identity, policy_name),
        f"Inline policy {policy_name} deleted.", _detail_url(kind, identity),
    )
