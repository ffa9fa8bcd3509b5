"""The account password policy page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.console import console_view

from ..authorization import authorize, is_allowed
from ..forms import PasswordPolicyForm
from ..services import delete_password_policy, update_password_policy
from ..services.passwords import password_policy
from .common import perform, submit


@console_view("iam:GetAccountPasswordPolicy")
def password_policy_view(request):
    policy = password_policy(request.account)
    return render(request, "iam/password_policy.html", {
        "policy": policy,
        "can_edit": is_allowed(request.principal, "iam:UpdateAccountPasswordPolicy"),
        "can_delete": policy is not None and is_allowed(request.principal, "iam:DeleteAccountPasswordPolicy"),
    })


@console_view("iam:UpdateAccountPasswordPolicy")
def password_policy_edit(request):
    policy = password_policy(request.account)
    initial = {field: getattr(policy, field) for field in PasswordPolicyForm.base_fields} if policy else None
    form = PasswordPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(form, lambda data: update_password_policy(request.account, **data)):
        messages.success(request, "Password policy updated.")
        return redirect("iam:password-policy")
    return render(request, "iam/password_policy_edit.html", {"form": form})


@console_view(event="iam:DeleteAccountPasswordPolicy")
@require_POST
def password_policy_delete(request):
    authorize(request.principal, "iam:DeleteAccountPasswordPolicy")
    return perform(request, lambda: delete_password_policy(request.account),
                   "Password policy deleted: AWS's default rules apply again.", reverse("iam:password-policy"))
