"""Regions, the account alias, IAM access to billing, and the support plan."""

from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.console import console_view

from .. import regions, selectors, services
from ..forms import AliasForm, BillingAccessForm, SupportPlanForm
from ..models import SupportPlan
from ..permissions import allows, region_context
from ..support_plans import PLAN_BENEFITS
from .common import Panel, act, panel_page, render_section

@console_view("account:ListRegions")
def region_list(request):
    principal = request.principal
    rows = []
    for state in selectors.list_regions(principal):
        # Offer only the change this principal may make to this Region (account:TargetRegion).
        change = {regions.DISABLED: "enable", regions.ENABLED: "disable"}.get(state.region_opt_status)
        action = f"account:{change.capitalize()}Region" if change else None
        allowed = bool(action) and allows(principal, action, region_context(state.region_name))
        rows.append({"region": state, "change": change if allowed else None})
    in_transition = tuple(regions.SETTLES_TO)
    settling = any(row["region"].region_opt_status in in_transition for row in rows)
    return render_section(
        request, "accounts/regions.html", {"rows": rows, "in_transition": in_transition, "settling": settling}
    )


def _change_region(request, change, region_name):
    return act(
        request,
        lambda: change(request.principal, region_name),
        lambda status: f"{region_name} is now {status.replace('_', ' ').lower()}.",
        "accounts:regions",
    )


@require_POST
@console_view(event="account:EnableRegion")
def enable_region(request, region_name):
    return _change_region(request, services.enable_region, region_name)


@require_POST
@console_view(event="account:DisableRegion")
def disable_region(request, region_name):
    return _change_region(request, services.disable_region, region_name)


@console_view("iam:ListAccountAliases", event="iam:CreateAccountAlias")
def alias(request):
    principal = request.principal
    panels = {
        "alias": Panel(
            AliasForm,
            lambda data: services.create_account_alias(principal, data["alias"]),
            "The account alias was saved. IAM users now sign in with the new URL.",
            initial=lambda: {"alias": request.account.alias or ""},
            field="alias",
        )
    }
    aliases = selectors.list_account_aliases(principal)
    return panel_page(
        request,
        "accounts/alias.html",
        panels,
        {
            "current_alias": aliases[0] if aliases else None,
            "sign_in_url": request.build_absolute_uri(reverse("signin-account", args=[request.account.sign_in_reference])),
            "may_create": allows(principal, "iam:CreateAccountAlias"),
            "may_delete": allows(principal, "iam:DeleteAccountAlias"),
        },
    )


@require_POST
@console_view(event="iam:DeleteAccountAlias")
def delete_alias(request):
    return act(
        request,
        lambda: services.delete_account_alias(request.principal, request.POST.get("alias", "")),
        "The account alias was deleted. IAM users sign in with the account ID again.",
        "accounts:alias",
    )


@console_view("aws-portal:ViewAccount")
def billing_access(request):
    panels = {
        "billing": Panel(
            BillingAccessForm,
            lambda data: services.set_iam_billing_access(request.principal, data["enabled"]),
            "IAM user and role access to billing information was updated.",
            initial=lambda: {"enabled": request.account.iam_billing_access},
        )
    }
    return panel_page(request, "accounts/billing_access.html", panels)


@console_view("aws-portal:ViewAccount", event="supportplans:StartSupportPlanUpdate")
def support_plan(request):
    panels = {
        "plan": Panel(
            SupportPlanForm,
            lambda data: services.change_support_plan(request.principal, data["plan"]),
            "Your support plan was changed. The change takes effect immediately.",
            initial=lambda: {"plan": request.account.support_plan},
            field="plan",
        )
    }
    plans = [{"value": value, "label": label, "benefits": PLAN_BENEFITS[value]} for value, label in SupportPlan.choices]
    return panel_page(request, "accounts/support_plan.html", panels, {"plans": plans})
