from django.shortcuts import render
from django.urls import reverse

from portal.console import console_view

from ..selectors import account_summary, security_recommendations


@console_view("iam:GetAccountSummary")
def dashboard(request):
    account = request.account
    sign_in_url = request.build_absolute_uri(reverse("signin-account", args=[account.sign_in_reference]))
    return render(request, "iam/dashboard.html", {
        "summary": account_summary(account),
        "sign_in_url": sign_in_url,
        "recommendations": security_recommendations(account),
    })
