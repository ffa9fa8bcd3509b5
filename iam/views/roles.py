from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from iam.authorization import authorize, is_allowed
from portal.console import console_view
from portal.tables import sorted_page

from ..forms import RoleDescriptionForm, RoleEditForm, TrustPolicyForm
from ..models import Role
from ..policy_review import pretty_document
from ..services import delete_role, update_role, update_trust_policy
from ..services.identities import trust_policy_for
from .common import access_advisor_context, detail_tabs, load_identity, name_search, perform, permissions_context, submit
from .tags import tags_context

ROLE_TABS = (("permissions", "Permissions"), ("trust", "Trust relationships"), ("tags", "Tags"),
             ("access-advisor", "Access Advisor"))
ROLE_COLUMNS = {
    "name": ("Role name", "name"),
    "path": ("Path", "path"),
    "last_used": ("Last activity", "last_used_at"),
    "created": ("Created", "created_at"),
}
SECONDS_PER_HOUR = 3600


def default_trust_policy(account) -> str:
    """What the create pages start with: the account's own principals may assume the role."""
    return trust_policy_for("AWS", f"arn:aws:iam::{account.account_id}:root")


@console_view("iam:ListRoles")
def role_list(request):
    roles, query = name_search(request, Role.objects.filter(account=request.account).select_related("account"))
    table = sorted_page(request, roles, ROLE_COLUMNS, default_sort="name")
    return render(request, "iam/role_list.html", {
        "table": table, "can_create": is_allowed(request.principal, "iam:CreateRole"), "query": query,
    })


@console_view()
def role_detail(request, name):
    kind, role = load_identity(request, "role", name)
    authorize(request.principal, "iam:GetRole", role.arn)
    principal = request.principal
    tabs = detail_tabs(request, ROLE_TABS)
    delete_action = "iam:DeleteServiceLinkedRole" if role.is_service_linked else "iam:DeleteRole"
    return render(request, "iam/role_detail.html", {
        "role": role,
        "session_hours": role.max_session_duration // SECONDS_PER_HOUR,
        "can_edit": is_allowed(principal, "iam:UpdateRole", role.arn),
        "can_edit_trust": not role.is_service_linked and is_allowed(principal, "iam:UpdateAssumeRolePolicy", role.arn),
        "can_delete": is_allowed(principal, delete_action, role.arn),
        "permissions": permissions_context(principal, role),
        "tags": tags_context(principal, role),
        "access_advisor": access_advisor_context(principal, role, tabs),
        **tabs,
    })


@console_view(event="iam:UpdateRole")
def role_edit(request, name):
    """Description and maximum session duration; a service-linked role takes only a description."""
    kind, role = load_identity(request, "role", name)
    authorize(request.principal, "iam:UpdateRole", role.arn)
    if role.is_service_linked:
        form = RoleDescriptionForm(request.POST or None, initial={"description": role.description})
        change = lambda data: update_role(role, description=data["description"])  # noqa: E731
    else:
        form = RoleEditForm(request.POST or None, initial={
            "description": role.description, "max_session_hours": role.max_session_duration // SECONDS_PER_HOUR,
        })
        change = lambda data: update_role(  # noqa: E731
            role, description=data["description"], max_session_duration=data["max_session_hours"] * SECONDS_PER_HOUR
        )
    if request.method == "POST" and submit(form, change):
        messages.success(request, f"Role {role.name} updated.")
        return redirect("iam:role-detail", role.name)
    return render(request, "iam/role_edit.html", {"form": form, "role": role})


@console_view(event="iam:UpdateAssumeRolePolicy")
def role_trust(request, name):
    kind, role = load_identity(request, "role", name)
    authorize(request.principal, "iam:UpdateAssumeRolePolicy", role.arn)
    form = TrustPolicyForm(request.POST or None, initial={"trust_policy": pretty_document(role.trust_policy)})
    if request.method == "POST" and submit(form, lambda data: update_trust_policy(role, data["trust_policy"])):
        messages.success(request, f"Trust policy of {role.name} updated.")
        return redirect(reverse("iam:role-detail", args=[role.name]) + "?tab=trust")
    return render(request, "iam/role_trust.html", {"form": form, "role": role})


def _delete_role_event(request, name) -> str:
    linked = Role.objects.filter(account=request.account, name=name).exclude(linked_service="").exists()
    return "iam:DeleteServiceLinkedRole" if linked else "iam:DeleteRole"


@console_view(event=_delete_role_event)
def role_delete(request, name):
    kind, role = load_identity(request, "role", name)
    authorize(request.principal, "iam:DeleteServiceLinkedRole" if role.is_service_linked else "iam:DeleteRole", role.arn)
    if request.method == "POST":
        return perform(request, lambda: delete_role(role, force=True), f"Role {role.name} deleted.",
                       reverse("iam:role-list"), on_error=reverse("iam:role-detail", args=[role.name]))
    return render(request, "iam/confirm_delete.html", {
        "kind": kind, "identity": role, "cancel_url": reverse("iam:role-detail", args=[role.name]),
        "consequences": "Its policies are detached and its inline policies deleted. Sessions of the role stop working.",
    })
