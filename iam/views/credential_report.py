"""The IAM console's Credential report page: download the report (generated when none is fresh)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.console import console_view

from ..authorization import authorize, is_allowed
from ..credential_report import credential_report, generate_credential_report
from ..models import IAMAccountSettings


@console_view("iam:GetCredentialReport")
@require_GET
def credential_report_page(request):
    settings = IAMAccountSettings.objects.filter(account=request.account).first()
    return render(request, "iam/credential_report.html", {
        "generated_at": settings.credential_report_generated_at if settings else None,
        "can_download": is_allowed(request.principal, "iam:GenerateCredentialReport")
        and is_allowed(request.principal, "iam:GetCredentialReport"),
    })


@console_view()
@require_GET
def credential_report_download(request):
    """A download link, as in AWS's console: it generates a report first when none is fresh (a read in IAM's
    terms: IAMReadOnlyAccess allows iam:Generate*)."""
    authorize(request.principal, "iam:GenerateCredentialReport")
    authorize(request.principal, "iam:GetCredentialReport")
    generate_credential_report(request.account)
    report = credential_report(request.account)
    response = HttpResponse(report.content, content_type="text/csv")
    stamp = report.generated_at.strftime("%Y-%m-%dT%H_%M_%S")
    response["Content-Disposition"] = f'attachment; filename="status_reports_{stamp}.csv"'
    return response
