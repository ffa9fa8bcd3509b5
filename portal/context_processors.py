from django.urls import reverse

SERVICES = (
    ("Support Center", "cases:home", "cases"),
    ("Account", "accounts:home", "accounts"),
    ("IAM", "iam:home", "iam"),
    ("Trusted Advisor", "advisor:dashboard", "advisor"),
    ("CloudTrail", "events:history", "events"),
    ("Training", "training:home", "training"),
)


def console(request):
    principal = getattr(request, "principal", None)
    if principal is None:
        return {"principal": None, "console_account": None, "console_services": ()}
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return {
        "principal": principal,
        "console_account": principal.account,
        "console_services": [
            {"label": label, "url": reverse(url_name), "active": namespace == app}
            for label, url_name, app in SERVICES
        ],
    }
