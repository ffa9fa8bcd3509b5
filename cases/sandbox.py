"""Demo data for the Support Center: a few cases in different states, as the account's plan allows."""

from datetime import timedelta

from django.utils import timezone

from iam.principals import Principal

from . import engineering, plans, services
from .models import CaseStatus, CaseType

# (case type, service, category, severity, subject, description, days ago, what happened next)
DEMO_CASES = [
    (CaseType.TECHNICAL, "amazon-elastic-compute-cloud-linux", "instance-issue", "high",
     "Failed status checks",
     "One of my instances (i-0abc1234def567890) is uncontactable and began failing status checks "
     "this morning after a kernel update. Would my recent changes have caused this?",
     2, "asked"),
    (CaseType.TECHNICAL, "amazon-simple-storage-service", "access-issue", "normal",
     "Access denied when reading objects from a bucket",
     "Our application role gets AccessDenied on GetObject since we enabled default encryption.",
     20, "resolved"),
    (CaseType.ACCOUNT_AND_BILLING, "billing", "charges", "low",
     "Unexpected data transfer charges",
     "Our bill shows data transfer charges in eu-west-1 that we cannot explain. Could you break them down?",
     1, "investigating"),
    (CaseType.SERVICE_LIMIT_INCREASE, "service-limit-increase", "ec2-instances", "normal",
     "Raise the On-Demand instance limit",
     "We are preparing a product launch and need more On-Demand instances in us-east-1.",
     0, "new"),
]


def populate(account) -> None:
    root = Principal(account=account)
    rules = plans.rules_for(account)
    engineer = engineering.simulated_engineer()
    now = timezone.now()
    for case_type, service, category, severity, subject, body, days_ago, outcome in DEMO_CASES:
        if case_type not in rules.case_types:
            continue
        opened = now - timedelta(days=days_ago, hours=3)
        case = services.create_case(
            root,
            subject=subject,
            communication_body=body,
            service_code=service,
            category_code=category,
            severity_code=severity if severity in rules.severities else "low",
            extra_details={"region": "us-east-1", "new_limit_value": 64} if case_type == CaseType.SERVICE_LIMIT_INCREASE else None,
            now=opened,
        )
        _play(case, outcome, root, engineer, opened)


def _play(case, outcome: str, root: Principal, engineer, opened) -> None:
    if outcome == "new":
        return
    answered = opened + timedelta(hours=2)
    engineering.assign_to(case, engineer, now=opened + timedelta(hours=1))
    if outcome == "investigating":
        engineering.reply(
            case, engineer,
            "Thank you for contacting AWS. I am reviewing the charges on your account and will update you shortly.",
            next_status=CaseStatus.PENDING_AMAZON_ACTION, now=answered,
        )
        return
    engineering.reply(
        case, engineer,
        "Thanks for the details. Could you share the output of the system log and the time you first saw the failure?",
        now=answered,
    )
    if outcome == "resolved":
        services.add_communication_to_case(
            root, case.case_id, "That was it: the key policy did not allow the role. Thanks!", now=answered + timedelta(hours=5)
        )
        services.resolve_case(root, case.case_id, now=answered + timedelta(hours=6))
