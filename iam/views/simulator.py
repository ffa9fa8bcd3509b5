"""The policy simulator page: a thin form over iam.simulator."""

from itertools import chain

from django.shortcuts import render

from portal.console import console_view

from ..authorization import authorize, is_allowed
from ..forms import SimulatorForm
from ..models import IAMGroup, IAMUser, Role
from ..simulator import simulate_custom_policy, simulate_principal_policy
from .common import submit

ACTIONS = ("iam:SimulatePrincipalPolicy", "iam:SimulateCustomPolicy")


@console_view()
def simulator(request):
    principal, account = request.principal, request.account
    if not any(is_allowed(principal, action) for action in ACTIONS):
        authorize(principal, ACTIONS[0])
    identities = chain(
        IAMUser.objects.filter(account=account).select_related("account"),
        IAMGroup.objects.filter(account=account).select_related("account"),
        Role.objects.filter(account=account).select_related("account"),
    )
    form = SimulatorForm(request.GET or None, identities=list(identities))

    def run(data):
        resources = [data["resource_arn"] or "*"]
        boundary = [data["boundary_policy"]] if data["boundary_policy"].strip() else []
        if data["mode"] == "principal":
            authorize(principal, "iam:SimulatePrincipalPolicy", data["source_arn"])
            extra = [data["custom_policy"]] if data["custom_policy"].strip() else []
            return simulate_principal_policy(
                account, data["source_arn"], data["actions"], resources, data["context"], extra_policies=extra,
                boundary_documents=boundary, resource_policy=data["resource_policy"].strip() or None,
            )
        authorize(principal, "iam:SimulateCustomPolicy")
        return simulate_custom_policy([data["custom_policy"]], data["actions"], resources, data["context"],
                                      boundary_documents=boundary)

    results = submit(form, run) if request.GET else None
    return render(request, "iam/simulator.html", {"form": form, "results": results})
