from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from iam.authorization import authorize, is_allowed
from portal.console import console_view
from portal.submissions import one_time_submission
from portal.tables import sorted_page

from ..forms import STARTER_POLICY, PolicyCreateForm, PolicyVersionForm
from ..identity_kinds import KINDS
from ..models import Policy
from ..services import (
    create_customer_managed_policy,
    create_policy_version,
    delete_policy,
    delete_policy_version,
    set_default_policy_version,
)
from ..policy_review import SIZE_LIMITS, pretty_document, review_policy
from .common import name_search, perform, submit

POLICY_COLUMNS = {
    "name": ("Policy name", "name"),
    "type": ("Type", "account"),
    "attachments": ("Used as", "attachment_total"),
    "updated": ("Last edited", "updated_at"),
}
FILTERS = {"aws": Q(account=None), "customer": ~Q(account=None)}


def _visible_policies(account):
    return Policy.objects.filter(Q(account=None) | Q(account=account))


def _load_policy(request, policy_id):
    return get_object_or_404(_visible_policies(request.account).select_related("account"), policy_id=policy_id)


@console_view("iam:ListPolicies")
def policy_list(request):
    scope = request.GET.get("scope", "")
    policies = _visible_policies(request.account).select_related("account").annotate(
        attachment_total=Count("attached_users", filter=Q(attached_users__account=request.account), distinct=True)
        + Count("attached_groups", filter=Q(attached_groups__account=request.account), distinct=True)
        + Count("attached_roles", filter=Q(attached_roles__account=request.account), distinct=True)
    )
    if scope in FILTERS:
        policies = policies.filter(FILTERS[scope])
    policies, query = name_search(request, policies)
    table = sorted_page(request, policies, POLICY_COLUMNS, default_sort="name")
    return render(request, "iam/policy_list.html", {
        "table": table, "scope": scope, "can_create": is_allowed(request.principal, "iam:CreatePolicy"), "query": query,
    })


@one_time_submission
@console_view("iam:CreatePolicy")
def policy_create(request):
    form = PolicyCreateForm(request.POST or None, initial={"document": STARTER_POLICY})
    if request.method == "POST":
        policy = submit(form, lambda data: create_customer_managed_policy(
            request.account, data["name"], data["document"], path=data["path"], description=data["description"]
        ))
        if policy:
            messages.success(request, f"Policy {policy.name} created.")
            return redirect("iam:policy-detail", policy.policy_id)
    return render(request, "iam/policy_create.html", {"form": form})


@console_view()
def policy_detail(request, policy_id):
    policy = _load_policy(request, policy_id)
    authorize(request.principal, "iam:GetPolicy", policy.arn)
    versions = list(policy.versions.order_by("-created_at"))
    requested = request.GET.get("version")
    shown = next((v for v in versions if v.version_id == requested), None) or next(v for v in versions if v.is_default)
    if not shown.is_default:
        authorize(request.principal, "iam:GetPolicyVersion", policy.arn)
    account = request.account
    principal = request.principal
    customer = not policy.is_aws_managed
    return render(request, "iam/policy_detail.html", {
        "policy": policy,
        "versions": versions,
        "shown": shown,
        "review": review_policy(shown.document),
        "users": list(policy.attached_users.filter(account=account)),
        "groups": list(policy.attached_groups.filter(account=account)),
        "roles": list(policy.attached_roles.filter(account=account)),
        "can_version": customer and is_allowed(principal, "iam:CreatePolicyVersion", policy.arn),
        "can_set_default": customer and is_allowed(principal, "iam:SetDefaultPolicyVersion", policy.arn),
        "can_delete_version": customer and is_allowed(principal, "iam:DeletePolicyVersion", policy.arn),
        "can_delete": customer and is_allowed(principal, "iam:DeletePolicy", policy.arn),
    })


def _customer_policy(request, policy_id):
    return get_object_or_404(Policy.objects.select_related("account"), account=request.account, policy_id=policy_id)


@console_view(event="iam:CreatePolicyVersion")
def policy_version_create(request, policy_id):
    policy = _customer_policy(request, policy_id)
    authorize(request.principal, "iam:CreatePolicyVersion", policy.arn)
    current = policy.versions.get(is_default=True)
    form = PolicyVersionForm(request.POST or None, initial={"document": pretty_document(current.document)})
    if request.method == "POST" and submit(
        form, lambda data: create_policy_version(policy, data["document"], set_as_default=data["set_as_default"])
    ):
        messages.success(request, f"New version of {policy.name} saved.")
        return redirect("iam:policy-detail", policy.policy_id)
    return render(request, "iam/policy_version_form.html", {"form": form, "policy": policy})


@console_view(event="iam:SetDefaultPolicyVersion")
@require_POST
def policy_version_default(request, policy_id, version_id):
    policy = _customer_policy(request, policy_id)
    authorize(request.principal, "iam:SetDefaultPolicyVersion", policy.arn)
    return perform(request, lambda: set_default_policy_version(policy, version_id),
                   f"{version_id} is now the default version.", reverse("iam:policy-detail", args=[policy.policy_id]))


@console_view(event="iam:DeletePolicyVersion")
@require_POST
def policy_version_delete(request, policy_id, version_id):
    policy = _customer_policy(request, policy_id)
    authorize(request.principal, "iam:DeletePolicyVersion", policy.arn)
    return perform(request, lambda: delete_policy_version(policy, version_id),
                   f"Version {version_id} deleted.", reverse("iam:policy-detail", args=[policy.policy_id]))


@console_view(event="iam:DeletePolicy")
def policy_delete(request, policy_id):
    policy = _customer_policy(request, policy_id)
    authorize(request.principal, "iam:DeletePolicy", policy.arn)
    back = reverse("iam:policy-detail", args=[policy.policy_id])
    if request.method == "POST":
        return perform(request, lambda: delete_policy(policy), f"Policy {policy.name} deleted.",
                       reverse("iam:policy-list"), on_error=back)
    return render(request, "iam/confirm_delete.html", {
        "kind": None, "noun": "policy", "identity": policy, "cancel_url": back,
        "consequences": "A policy still attached to users, groups or roles cannot be deleted; detach it first.",
    })


# The policy editor's purpose -> the writes it prepares; the panel is for principals who may do one of them.
EDITOR_ACTIONS = {
    "managed": ("iam:CreatePolicy", "iam:CreatePolicyVersion"),
    "trust": ("iam:CreateRole", "iam:UpdateAssumeRolePolicy"),
    **{f"inline-{key}": (kind.action("Put{}Policy"),) for key, kind in KINDS.items()},
}


@console_view()
@require_POST
def policy_review(request):
    """The policy editor's panel, re-rendered as the document is typed: validity, size and summary, and,
    for principals IAM lets validate policies (as Access Analyzer does in AWS), warnings about names."""
    purpose = request.POST.get("purpose", "")
    if purpose not in SIZE_LIMITS:
        purpose = "managed"
    actions = EDITOR_ACTIONS[purpose]
    if not any(is_allowed(request.principal, action) for action in actions):
        authorize(request.principal, actions[0])  # refuses, in AWS's words
    review = review_policy(request.POST.get(request.POST.get("field", "document"), ""), purpose)
    return render(request, "iam/includes/policy_review.html", {
        "review": review, "may_validate": is_allowed(request.principal, "access-analyzer:ValidatePolicy"),
    })
