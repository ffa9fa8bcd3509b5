from django.urls import reverse

from iam.selectors import roles_to_switch_to

SERVICES = (
    ("Support Center", "cases:home", "cases"),
    ("Account", "accounts:home", "accounts"),
    ("IAM", "iam:home", "iam"),
    ("Trusted Advisor", "advisor:dashboard", "advisor"),
    ("CloudTrail", "events:history", "events"),
    ("Training", "training:home", "training"),
)


def account_id_display(account_id: str) -> str:
    """The console's account menu shows the 12 digits in groups of four: 1234-5678-9012."""
    return "-".join(account_id[i : i + 4] for i in range(0, len(account_id), 4))


def console(request):
    """The top bar: the services and the account menu of the signed-in principal."""
    principal = getattr(request, "principal", None)
    if principal is None:
        return {"principal": None, "console_account": None, "console_services": ()}
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return {
        "principal": principal,
        "console_account": principal.account,
        "console_account_id_display": account_id_display(principal.account.account_id),
        # "Switch role" in the account menu: only for IAM users with a role they may assume.
        "console_may_switch_role": principal.user is not None and bool(roles_to_switch_to(principal)),
        "console_services": [
            {"label": label, "url": reverse(url_name), "active": namespace == app}
            for label, url_name, app in SERVICES
        ],
    }
