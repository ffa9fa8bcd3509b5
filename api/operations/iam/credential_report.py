"""The credential report over the wire, on iam.credential_report (the console's download uses the same)."""

from iam.credential_report import credential_report, generate_credential_report

from . import operations


@operations("GenerateCredentialReport")
def generate(call):
    call.authorize()
    state, description = generate_credential_report(call.principal.account)
    return {"State": state, "Description": description or None}


@operations("GetCredentialReport")
def get(call):
    call.authorize()
    report = credential_report(call.principal.account)
    return {"Content": report.content.encode(), "ReportFormat": "text/csv", "GeneratedTime": report.generated_at}
