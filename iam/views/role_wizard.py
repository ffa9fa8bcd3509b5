"""Create role, as the console does it: Select trusted entity → Add permissions → Name, review, and create."""

from django.contrib import messages
from django.shortcuts import redirect

from portal.console import console_view
from portal.submissions import one_time_submission

from ..authorization import authorize, is_allowed
from ..exceptions import AccessDenied, IAMError
from ..forms import RoleNameForm, TrustedEntityForm, WizardPermissionsForm, WizardTagsForm, add_service_error
from ..selectors import attachable_policies
from ..services import create_role_with_access
from ..services.identities import trust_policy_for, validate_trust_policy
from .roles import SECONDS_PER_HOUR, default_trust_policy
from .wizard import Step, Wizard, authorize_tagging, chosen_policies, posted

STEPS = (
    Step("trust", "Select trusted entity", "iam:role-create"),
    Step("permissions", "Add permissions", "iam:role-create-permissions"),
    Step("review", "Name, review, and create", "iam:role-create-review"),
)


def _wizard(request) -> Wizard:
    return Wizard(request, "create-role", STEPS, "iam:CreateRole")


def _trust_policy(request, data: dict) -> str:
    """The trust policy the chosen entity type stands for."""
    entity = data["entity_type"]
    if entity == "other_account":
        return trust_policy_for("AWS", f"arn:aws:iam::{data['other_account_id']}:root")
    if entity == "service":
        return trust_policy_for("Service", data["service"])
    if entity == "custom":
        return data["trust_policy"]
    return default_trust_policy(request.account)


@console_view()
def role_create(request):
    wizard = _wizard(request)
    kept = wizard.get("trust")
    form = TrustedEntityForm(posted(request), initial=kept or {"trust_policy": default_trust_policy(request.account)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trust_policy = _trust_policy(request, data)
        try:
            validate_trust_policy(trust_policy)
        except IAMError as error:
            form.add_error("trust_policy", error.message)
        else:
            wizard.put("trust", {**{key: data[key] for key in ("entity_type", "other_account_id", "service")},
                                 "trust_policy": trust_policy})
            return redirect("iam:role-create-permissions")
    return wizard.render("trust", "iam/wizard/role_trust.html", {"form": form})


@console_view()
def role_create_permissions(request):
    wizard = _wizard(request)
    if missing := wizard.missing_step("permissions"):
        return missing
    policies = list(attachable_policies(request.account)) if is_allowed(request.principal, "iam:ListPolicies") else None
    form = WizardPermissionsForm(posted(request), policies=policies or ())
    if request.method == "POST" and form.is_valid():
        wizard.put("permissions", {"policies": form.cleaned_data["policies"]})
        return redirect("iam:role-create-review")
    chosen = form.data.getlist("policies") if form.is_bound else wizard.get("permissions").get("policies", [])
    return wizard.render("permissions", "iam/wizard/role_permissions.html", {
        "form": form, "policies": policies, "chosen": chosen,
    })


@one_time_submission
@console_view(event="iam:CreateRole")
def role_create_review(request):
    wizard = _wizard(request)
    if missing := wizard.missing_step("review"):
        return missing
    trust = wizard.get("trust")
    policies, gone = chosen_policies(request.account, wizard.get("permissions").get("policies", []))
    form = RoleNameForm(posted(request))
    tags_form = WizardTagsForm(posted(request))
    if request.method == "POST" and form.is_valid() and tags_form.is_valid():
        data, tags = form.cleaned_data, tags_form.cleaned_data["tags"]
        arn = f"arn:aws:iam::{request.account.account_id}:role{data['path']}{data['name']}"
        if gone:
            form.add_error(None, f"Since step 2 these were deleted: {', '.join(gone)}. Go back to Add permissions.")
        else:
            authorize(request.principal, "iam:CreateRole", arn)
            for policy in policies:
                authorize(request.principal, "iam:AttachRolePolicy", arn, {"iam:PolicyARN": policy.arn})
            authorize_tagging(request.principal, "iam:TagRole", arn, tags)
            try:
                role = create_role_with_access(
                    request.account, data["name"], trust["trust_policy"], path=data["path"],
                    description=data["description"], max_session_duration=data["max_session_hours"] * SECONDS_PER_HOUR,
                    policies=policies, tags=tags,
                )
            except AccessDenied:
                raise
            except IAMError as error:
                if error.field in ("key", "value"):
                    tags_form.add_error("tags", error.message)
                else:
                    add_service_error(form, error)
            else:
                wizard.clear()
                messages.success(request, f"Role {role.name} created.")
                return redirect("iam:role-detail", role.name)
    return wizard.render("review", "iam/wizard/role_review.html", {
        "form": form, "tags_form": tags_form, "trust": trust, "policies": policies, "gone": gone,
    })


@console_view()
def role_create_cancel(request):
    _wizard(request).clear()
    return redirect("iam:role-list")
