from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from iam.authorization import authorize, is_allowed
from portal.console import console_view
from portal.tables import sorted_page

from ..forms import ConsolePasswordForm
from ..models import AccessKey, IAMGroup, IAMUser, SigningCertificate
from ..services import delete_console_password, delete_user, set_console_password
from ..services.mfa import mfa_device_of
from ..services.passwords import may_change_own_password, password_expires_at
from .common import (
    access_advisor_context,
    detail_tabs,
    detail_url,
    load_identity,
    membership_event,
    name_search,
    perform,
    permissions_context,
    submit,
)
from .groups import change_membership
from .tags import tags_context

USER_TABS = (("permissions", "Permissions"), ("groups", "Groups"), ("tags", "Tags"),
             ("credentials", "Security credentials"), ("access-advisor", "Access Advisor"))
USER_COLUMNS = {
    "name": ("User name", "name"),
    "path": ("Path", "path"),
    "groups": ("Groups", "group_count"),
    "mfa": ("MFA", "mfa_enabled"),
    "created": ("Created", "created_at"),
}


@console_view("iam:ListUsers")
def user_list(request):
    users = (
        IAMUser.objects.filter(account=request.account)
        .select_related("account")
        .annotate(
            group_count=Count("groups", distinct=True),
            mfa_enabled=Count("mfa_device", filter=Q(mfa_device__enabled_at__isnull=False)),
        )
    )
    users, query = name_search(request, users)
    table = sorted_page(request, users, USER_COLUMNS, default_sort="name")
    can_create = is_allowed(request.principal, "iam:CreateUser")
    return render(request, "iam/user_list.html", {"table": table, "can_create": can_create, "query": query})


def credentials_context(principal, account, user) -> dict:
    """The security credentials panel of an IAM user (user given) or of the root user."""
    arn = user.arn if user else account.root_arn
    device = mfa_device_of(account, user)
    return {
        "owner": user,
        "access_keys": list(AccessKey.objects.filter(account=account, user=user)),
        "mfa_device": device if device and device.is_enabled else None,
        "can_list_keys": is_allowed(principal, "iam:ListAccessKeys", arn),
        "can_create_key": is_allowed(principal, "iam:CreateAccessKey", arn),
        "can_update_key": is_allowed(principal, "iam:UpdateAccessKey", arn),
        "can_delete_key": is_allowed(principal, "iam:DeleteAccessKey", arn),
        "can_enable_mfa": is_allowed(principal, "iam:EnableMFADevice", arn),
        "can_manage_mfa": is_allowed(principal, "iam:DeactivateMFADevice", arn),
        **other_credentials_context(principal, account, user, arn),
    }


def other_credentials_context(principal, account, user, arn: str) -> dict:
    """SSH public keys, signing certificates and service-specific credentials, each if the viewer may list them
    (the root user has signing certificates only)."""
    shown = {}
    if user is not None and is_allowed(principal, "iam:ListSSHPublicKeys", arn):
        shown["ssh_public_keys"] = list(user.ssh_public_keys.all())
    if is_allowed(principal, "iam:ListSigningCertificates", arn):
        shown["signing_certificates"] = list(SigningCertificate.objects.filter(account=account, user=user))
    if user is not None and is_allowed(principal, "iam:ListServiceSpecificCredentials", arn):
        shown["service_credentials"] = list(user.service_specific_credentials.all())
    return shown


@console_view()
def user_detail(request, name):
    kind, user = load_identity(request, "user", name)
    authorize(request.principal, "iam:GetUser", user.arn)
    principal = request.principal
    tabs = detail_tabs(request, USER_TABS)
    groups = list(user.groups.select_related("account"))
    other_groups = IAMGroup.objects.filter(account=request.account).exclude(pk__in=[group.pk for group in groups])
    context = {
        "iam_user": user,
        "groups": groups,
        "other_groups": list(other_groups.values_list("name", flat=True)),
        "password_form": ConsolePasswordForm(),
        "password_expires_at": password_expires_at(user),
        "can_delete": is_allowed(principal, "iam:DeleteUser", user.arn),
        "can_manage_groups": is_allowed(principal, "iam:AddUserToGroup") and is_allowed(principal, "iam:RemoveUserFromGroup"),
        "can_set_password": is_allowed(principal, "iam:UpdateLoginProfile", user.arn),
        "can_remove_password": is_allowed(principal, "iam:DeleteLoginProfile", user.arn),
        # A user's own page offers "Change password" when the password policy or a policy lets them.
        "can_change_own_password": principal.user == user and not principal.is_role_session and user.has_console_password
        and (may_change_own_password(user) or is_allowed(principal, "iam:ChangePassword", user.arn)),
        "permissions": permissions_context(principal, user),
        "tags": tags_context(principal, user),
        "access_advisor": access_advisor_context(principal, user, tabs),
        **tabs,
        **credentials_context(principal, request.account, user),
    }
    return render(request, "iam/user_detail.html", context)


@console_view(event="iam:DeleteUser")
def user_delete(request, name):
    kind, user = load_identity(request, "user", name)
    authorize(request.principal, "iam:DeleteUser", user.arn)
    if request.method == "POST":
        return perform(request, lambda: delete_user(user, force=True), f"User {user.name} deleted.",
                       reverse("iam:user-list"), on_error=reverse("iam:user-detail", args=[user.name]))
    return render(request, "iam/confirm_delete.html", {
        "kind": kind, "identity": user, "cancel_url": reverse("iam:user-detail", args=[user.name]),
        "consequences": "Its console password, access keys, SSH public keys, signing certificates, service-specific "
                        "credentials, MFA device, inline policies, policy attachments and group memberships are "
                        "removed with it.",
    })


def _login_profile_event(request, name) -> str:
    has_password = IAMUser.objects.filter(account=request.account, name=name).exclude(password="").exists()
    return "iam:UpdateLoginProfile" if has_password else "iam:CreateLoginProfile"


@console_view(event=_login_profile_event)
def user_password(request, name):
    """Set, reset or remove a user's console password (its login profile)."""
    kind, user = load_identity(request, "user", name)
    action = "iam:UpdateLoginProfile" if user.has_console_password else "iam:CreateLoginProfile"
    authorize(request.principal, action, user.arn)
    form = ConsolePasswordForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: set_console_password(user, data["password"], reset_required=data["reset_required"])
    ):
        messages.success(request, f"Console password for {user.name} saved.")
        return redirect("iam:user-detail", user.name)
    return render(request, "iam/user_password.html", {"form": form, "iam_user": user})


@console_view(event="iam:DeleteLoginProfile")
@require_POST
def user_password_remove(request, name):
    kind, user = load_identity(request, "user", name)
    authorize(request.principal, "iam:DeleteLoginProfile", user.arn)
    return perform(
        request, lambda: delete_console_password(user), f"Console access for {user.name} disabled.",
        reverse("iam:user-detail", args=[user.name]),
    )


@console_view(event=membership_event)
@require_POST
def user_groups(request, name):
    """Add the user to a group, or (remove=<group>) take it out of one."""
    kind, user = load_identity(request, "user", name)
    removing = request.POST.get("remove")
    back = detail_url(kind, user, "groups")
    group = get_object_or_404(
        IAMGroup.objects.select_related("account"), account=request.account, name=removing or request.POST.get("group", "")
    )
    return change_membership(request, group, user.name, removing=bool(removing), back=back)
