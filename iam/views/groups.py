from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from iam.authorization import authorize, is_allowed
from portal.console import console_view
from portal.submissions import one_time_submission
from portal.tables import sorted_page

from ..forms import GroupCreateForm, GroupMembershipForm
from ..models import IAMGroup, IAMUser
from ..services import add_user_to_group, create_group, delete_group, remove_user_from_group
from .common import detail_tabs, detail_url, load_identity, membership_event, name_search, perform, permissions_context, submit

GROUP_TABS = (("users", "Users"), ("permissions", "Permissions"))
GROUP_COLUMNS = {
    "name": ("Group name", "name"),
    "path": ("Path", "path"),
    "users": ("Users", "member_count"),
    "created": ("Created", "created_at"),
}


@console_view("iam:ListGroups")
def group_list(request):
    groups = IAMGroup.objects.filter(account=request.account).select_related("account").annotate(
        member_count=Count("members", distinct=True)
    )
    groups, query = name_search(request, groups)
    table = sorted_page(request, groups, GROUP_COLUMNS, default_sort="name")
    return render(request, "iam/group_list.html", {
        "table": table, "can_create": is_allowed(request.principal, "iam:CreateGroup"), "query": query,
    })


@one_time_submission
@console_view("iam:CreateGroup")
def group_create(request):
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST":
        group = submit(form, lambda data: create_group(request.account, data["name"], path=data["path"]))
        if group:
            messages.success(request, f"User group {group.name} created.")
            return redirect("iam:group-detail", group.name)
    return render(request, "iam/group_create.html", {"form": form})


@console_view()
def group_detail(request, name):
    kind, group = load_identity(request, "group", name)
    authorize(request.principal, "iam:GetGroup", group.arn)
    members = list(group.members.select_related("account"))
    candidates = IAMUser.objects.filter(account=request.account).exclude(pk__in=[user.pk for user in members])
    principal = request.principal
    return render(request, "iam/group_detail.html", {
        "group": group,
        "members": members,
        "member_form": GroupMembershipForm(users=candidates),
        "can_add": is_allowed(principal, "iam:AddUserToGroup", group.arn),
        "can_remove": is_allowed(principal, "iam:RemoveUserFromGroup", group.arn),
        "can_delete": is_allowed(principal, "iam:DeleteGroup", group.arn),
        "permissions": permissions_context(principal, group),
        **detail_tabs(request, GROUP_TABS),
    })


def change_membership(request, group, user_name: str, *, removing: bool, back: str):
    """Add a user to a group or take it out, after the IAM check on the group."""
    authorize(request.principal, "iam:RemoveUserFromGroup" if removing else "iam:AddUserToGroup", group.arn)
    user = IAMUser.objects.filter(account=request.account, name=user_name).first()
    if user is None:
        messages.error(request, f"NoSuchEntity: The user with name {user_name} cannot be found.")
        return redirect(back)
    if removing:
        return perform(request, lambda: remove_user_from_group(group, user), f"{user.name} removed from {group.name}.", back)
    return perform(request, lambda: add_user_to_group(group, user), f"{user.name} added to {group.name}.", back)


@console_view(event=membership_event)
@require_POST
def group_members(request, name):
    """Add a user (user_name) or remove one (remove=<user>)."""
    kind, group = load_identity(request, "group", name)
    removing = request.POST.get("remove")
    return change_membership(
        request, group, removing or request.POST.get("user_name", ""), removing=bool(removing),
        back=detail_url(kind, group, "users"),
    )


@console_view(event="iam:DeleteGroup")
def group_delete(request, name):
    kind, group = load_identity(request, "group", name)
    authorize(request.principal, "iam:DeleteGroup", group.arn)
    if request.method == "POST":
        return perform(request, lambda: delete_group(group, force=True), f"User group {group.name} deleted.",
                       reverse("iam:group-list"), on_error=reverse("iam:group-detail", args=[group.name]))
    return render(request, "iam/confirm_delete.html", {
        "kind": kind, "identity": group, "cancel_url": reverse("iam:group-detail", args=[group.name]),
        "consequences": "A group that still has users cannot be deleted. Its policies are detached and its inline policies deleted.",
    })
