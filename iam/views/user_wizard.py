"""Create user, as the console does it: Specify user details → Set permissions → Review and create.

Each step checks what it can (the name, the password against the account's policy) through the IAM
services; the last step checks every permission involved and creates everything in one transaction.
"""

from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect
from django.urls import reverse

from portal.console import console_view
from portal.submissions import one_time_submission

from ..authorization import authorize, is_allowed
from ..exceptions import AccessDenied, IAMError
from ..forms import UserDetailsForm, WizardPermissionsForm, WizardTagsForm, add_service_error
from ..models import IAMGroup
from ..selectors import attachable_policies
from ..services import check_new_user, create_user_with_access
from .wizard import Step, Wizard, authorize_tagging, chosen_policies, posted

STEPS = (
    Step("details", "Specify user details", "iam:user-create"),
    Step("permissions", "Set permissions", "iam:user-create-permissions"),
    Step("review", "Review and create", "iam:user-create-review"),
)


def _wizard(request) -> Wizard:
    return Wizard(request, "create-user", STEPS, "iam:CreateUser")


def _user_arn(request, details: dict) -> str:
    return f"arn:aws:iam::{request.account.account_id}:user{details['path']}{details['name']}"


@console_view()
def user_create(request):
    wizard = _wizard(request)
    kept = wizard.get("details")
    initial = {key: kept[key] for key in ("name", "path", "console_access", "reset_required") if key in kept}
    form = UserDetailsForm(posted(request), initial=initial, password_kept=bool(kept.get("password_hash")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data["password"] if data["console_access"] else None
        if password:
            authorize(request.principal, "iam:CreateLoginProfile", _user_arn(request, data))
        try:
            check_new_user(request.account, data["name"], path=data["path"], password=password or None)
        except IAMError as error:
            add_service_error(form, error)
        else:
            password_hash = make_password(password) if password else (kept.get("password_hash", "") if data["console_access"] else "")
            wizard.put("details", {
                "name": data["name"], "path": data["path"], "console_access": data["console_access"],
                "reset_required": data["reset_required"], "password_hash": password_hash,
            })
            return redirect("iam:user-create-permissions")
    return wizard.render("details", "iam/wizard/user_details.html", {"form": form})


def _choices(request):
    """Groups and policies to offer, each list only to a principal IAM lets list them."""
    groups = list(IAMGroup.objects.filter(account=request.account).prefetch_related("attached_policies").order_by("name")) \
        if is_allowed(request.principal, "iam:ListGroups") else None
    policies = list(attachable_policies(request.account)) if is_allowed(request.principal, "iam:ListPolicies") else None
    return groups, policies


@console_view()
def user_create_permissions(request):
    wizard = _wizard(request)
    if missing := wizard.missing_step("permissions"):
        return missing
    groups, policies = _choices(request)
    form = WizardPermissionsForm(posted(request), groups=groups or (), policies=policies or (),
                                 initial=wizard.get("permissions"))
    if request.method == "POST" and form.is_valid():
        wizard.put("permissions", {"groups": form.cleaned_data["groups"], "policies": form.cleaned_data["policies"]})
        return redirect("iam:user-create-review")
    chosen = form.data.getlist("policies") if form.is_bound else wizard.get("permissions").get("policies", [])
    chosen_groups = form.data.getlist("groups") if form.is_bound else wizard.get("permissions").get("groups", [])
    return wizard.render("permissions", "iam/wizard/user_permissions.html", {
        "form": form, "groups": groups, "policies": policies, "chosen": chosen, "chosen_groups": chosen_groups,
    })


def _chosen(request, permissions: dict):
    """The groups and policies picked at step 2, as they are now (one query each); names gone since are reported."""
    groups = list(IAMGroup.objects.filter(account=request.account, name__in=permissions.get("groups", [])).select_related("account"))
    policies, gone = chosen_policies(request.account, permissions.get("policies", []))
    return groups, policies, sorted(set(permissions.get("groups", [])) - {group.name for group in groups}) + gone


def _authorize_creation(request, details, groups, policies, tags) -> None:
    """Every permission the creation needs, on the new user's ARN, as IAM asks for each call the console makes."""
    arn = _user_arn(request, details)
    authorize(request.principal, "iam:CreateUser", arn)
    if details["password_hash"]:
        authorize(request.principal, "iam:CreateLoginProfile", arn)
    for group in groups:
        authorize(request.principal, "iam:AddUserToGroup", group.arn)
    for policy in policies:
        authorize(request.principal, "iam:AttachUserPolicy", arn, {"iam:PolicyARN": policy.arn})
    authorize_tagging(request.principal, "iam:TagUser", arn, tags)


@one_time_submission
@console_view(event="iam:CreateUser")
def user_create_review(request):
    wizard = _wizard(request)
    if missing := wizard.missing_step("review"):
        return missing
    details = wizard.get("details")
    groups, policies, gone = _chosen(request, wizard.get("permissions"))
    form = WizardTagsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        tags = form.cleaned_data["tags"]
        if gone:
            form.add_error(None, f"Since step 2 these were deleted: {', '.join(gone)}. Go back to Set permissions.")
        else:
            _authorize_creation(request, details, groups, policies, tags)
            try:
                user = create_user_with_access(
                    request.account, details["name"], path=details["path"], password_hash=details["password_hash"] or None,
                    password_reset_required=details["reset_required"], groups=groups, policies=policies, tags=tags,
                )
            except AccessDenied:
                raise
            except IAMError as error:
                form.add_error("tags" if error.field in ("key", "value") else None, error.message)
            else:
                wizard.clear()
                messages.success(request, f"User {user.name} created.")
                return redirect("iam:user-detail", user.name)
    return wizard.render("review", "iam/wizard/user_review.html", {
        "form": form, "details": details, "groups": groups, "policies": policies, "gone": gone,
        "arn": _user_arn(request, details),
    })


@console_view()
def user_create_cancel(request):
    """Cancel leaves nothing behind: the answers so far are forgotten."""
    _wizard(request).clear()
    return redirect(reverse("iam:user-list"))
