"""Security credentials of an IAM user or of the root user: access keys, virtual MFA, own password.

Every view takes `name` (an IAM user) or none (the root user, whose credentials
only the root user itself may manage).
"""

import csv
import io
from urllib.parse import quote

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.console import console_view
from portal.submissions import one_time_submission

from ..authorization import authorize
from ..exceptions import AccessDenied
from ..forms import MFAPairForm, NewPasswordForm
from ..models import AccessKeyStatus
from ..selectors import access_key_with_secret
from ..services import (
    change_own_password,
    create_access_key,
    create_virtual_mfa_device,
    delete_access_key,
    enable_mfa_device,
    find_access_key,
    remove_mfa_device,
    resync_mfa_device,
    update_access_key_status,
)
from ..services.mfa import mfa_device_of, provisioning_uri, seed_of
from ..services.passwords import may_change_own_password, password_policy
from .common import load_identity, perform, submit
from .users import credentials_context


class CredentialOwner:
    """Whose credentials a view changes, and where to go back to."""

    def __init__(self, request, name: str | None):
        if name is None:
            if not request.principal.is_root:
                raise AccessDenied(
                    "Only the root user can manage the root user's credentials.",
                    action="iam:CreateAccessKey", resource=request.account.root_arn,
                )
            self.user, self.arn, self.label = None, request.account.root_arn, "root user"
            self.back = reverse("iam:security-credentials")
        else:
            _, self.user = load_identity(request, "user", name)
            self.arn, self.label = self.user.arn, self.user.name
            self.back = reverse("iam:user-detail", args=[name]) + "?tab=credentials"
        self.account = request.account

    @property
    def url_args(self) -> list[str]:
        return [self.user.name] if self.user else []

    def url(self, route: str) -> str:
        prefix = "iam:user-" if self.user else "iam:root-"
        return reverse(prefix + route, args=self.url_args)

    @property
    def mfa_arn(self) -> str:
        device_name = self.user.name if self.user else "root-account-mfa-device"
        return f"arn:aws:iam::{self.account.account_id}:mfa/{device_name}"


@console_view()
def security_credentials(request):
    """The root user's security credentials; an IAM user is sent to their own user page."""
    if not request.principal.is_root:
        if request.principal.user is None:
            raise AccessDenied("Role sessions have no long-term credentials.", action="iam:GetUser", resource="*")
        return redirect(reverse("iam:user-detail", args=[request.principal.user.name]) + "?tab=credentials")
    return render(request, "iam/root_credentials.html", credentials_context(request.principal, request.account, None))


# --- access keys -------------------------------------------------------------------------------


def _csv_data_uri(key, secret: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Access key ID", "Secret access key"])
    writer.writerow([key.access_key_id, secret])
    return "data:text/csv;charset=utf-8," + quote(buffer.getvalue())


# The ID of a key created a moment ago, whose secret the next page shows once.
NEW_ACCESS_KEY = "iam_new_access_key"


@one_time_submission
@console_view(event="iam:CreateAccessKey")
def access_key_create(request, name=None):
    """Confirm, create (POST, then redirect so a reload creates nothing), then show the secret once."""
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:CreateAccessKey", owner.arn)
    if request.method == "POST":
        def create():
            key, _ = create_access_key(owner.account, owner.user)
            request.session[NEW_ACCESS_KEY] = key.access_key_id

        response = perform(request, create, "Access key created.", owner.url("access-key-create"), on_error=owner.back)
        if owner.user is not None:
            response.console_parameters = {"userName": owner.user.name}
        return response
    created = access_key_with_secret(request.session.pop(NEW_ACCESS_KEY, ""))
    if created is None or (created[0].account_id, created[0].user_id) != (owner.account.pk, owner.user and owner.user.pk):
        return render(request, "iam/access_key_create.html", {"owner": owner})
    key, secret = created
    # The secret leaves the server in this one response only: shown, and offered as a CSV file.
    response = render(request, "iam/access_key_created.html", {
        "owner": owner, "key": key, "secret": secret, "csv_uri": _csv_data_uri(key, secret),
        "csv_name": "rootkey.csv" if owner.user is None else f"{owner.user.name}_accessKeys.csv",
    })
    response["Cache-Control"] = "no-store"
    return response


@console_view(event="iam:UpdateAccessKey")
@require_POST
def access_key_status(request, access_key_id, name=None):
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:UpdateAccessKey", owner.arn)
    status = request.POST.get("status", "")
    label = "activated" if status == AccessKeyStatus.ACTIVE else "deactivated"
    return perform(
        request, lambda: update_access_key_status(find_access_key(owner.account, owner.user, access_key_id), status),
        f"Access key {access_key_id} {label}.", owner.back,
    )


@console_view(event="iam:DeleteAccessKey")
@require_POST
def access_key_delete(request, access_key_id, name=None):
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:DeleteAccessKey", owner.arn)
    return perform(
        request, lambda: delete_access_key(find_access_key(owner.account, owner.user, access_key_id)),
        f"Access key {access_key_id} deleted.", owner.back,
    )


# --- virtual MFA -------------------------------------------------------------------------------


def _mfa_enrol_event(request, name=None) -> str:
    return "iam:CreateVirtualMFADevice" if request.POST.get("step") == "start" else "iam:EnableMFADevice"


@console_view(event=_mfa_enrol_event)
def mfa_enrol(request, name=None):
    """Assign a virtual MFA device: a fresh seed as a QR code, then two consecutive codes to activate it."""
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:EnableMFADevice", owner.arn)
    device = mfa_device_of(owner.account, owner.user)
    if device is not None and device.is_enabled:
        messages.info(request, "This identity already has an MFA device. Deactivate it to assign another.")
        return redirect(owner.back)
    form = MFAPairForm(request.POST if request.POST.get("step") == "activate" else None)
    if request.method == "POST" and request.POST.get("step") == "start":
        authorize(request.principal, "iam:CreateVirtualMFADevice", owner.mfa_arn)
        create_virtual_mfa_device(owner.account, owner.user)
        return redirect(owner.url("mfa"))
    if request.method == "POST" and device is not None and submit(
        form, lambda data: enable_mfa_device(device, data["authentication_code_1"], data["authentication_code_2"])
    ):
        messages.success(request, "MFA device assigned. It will be asked for at every sign-in.")
        return redirect(owner.back)
    context = {"owner": owner, "device": device, "form": form}
    if device is not None:
        uri = provisioning_uri(device)
        context.update(qr_svg=segno.make(uri, error="m").svg_inline(scale=5, dark="#16191f"), seed=seed_of(device))
    return render(request, "iam/mfa_enrol.html", context)


def _enabled_device_or_back(request, owner):
    device = mfa_device_of(owner.account, owner.user)
    if device is None or not device.is_enabled:
        messages.error(request, "NoSuchEntity: No MFA device is assigned.")
        return None
    return device


@console_view(event="iam:ResyncMFADevice")
def mfa_resync(request, name=None):
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:ResyncMFADevice", owner.arn)
    device = _enabled_device_or_back(request, owner)
    if device is None:
        return redirect(owner.back)
    form = MFAPairForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: resync_mfa_device(device, data["authentication_code_1"], data["authentication_code_2"])
    ):
        messages.success(request, "MFA device resynchronised.")
        return redirect(owner.back)
    return render(request, "iam/mfa_resync.html", {"owner": owner, "form": form})


@console_view(event="iam:DeactivateMFADevice")
@require_POST
def mfa_deactivate(request, name=None):
    owner = CredentialOwner(request, name)
    authorize(request.principal, "iam:DeactivateMFADevice", owner.arn)
    device = _enabled_device_or_back(request, owner)
    if device is None:
        return redirect(owner.back)
    return perform(request, lambda: remove_mfa_device(device), "MFA device deactivated.", owner.back)


# --- the signed-in IAM user's own password -----------------------------------------------------


@console_view(event="iam:ChangePassword")
def change_password(request):
    user = request.principal.user
    if user is None or request.principal.is_role_session:
        raise AccessDenied("Only IAM users change their password here.", action="iam:ChangePassword", resource="*")
    if not may_change_own_password(user):
        authorize(request.principal, "iam:ChangePassword", user.arn)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: change_own_password(user, data["old_password"], data["new_password"])
    ):
        # The session was bound to the old password; sign in again with the new one.
        messages.success(request, "Your password has been changed. Sign in with your new password.")
        return redirect("signin-account", request.account.sign_in_reference)
    return render(request, "iam/change_password.html", {"form": form, "policy": password_policy(request.account)})
