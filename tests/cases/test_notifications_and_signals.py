"""Emails for correspondence, the account lifecycle receivers, and the sandbox's demo cases."""

import pytest

from accounts.models import AlternateContact, AlternateContactType, SupportPlan
from accounts.signals import account_closed, account_reopen_requested
from cases import receivers, sandbox, services
from cases.plans import rules_for
from cases.models import AuthorKind, Case, CaseStatus
from iam.principals import Principal
from tests.factories import AccountFactory

from .conftest import ec2_case_arguments

pytestmark = pytest.mark.django_db


def add_operations_contact(account):
    AlternateContact.objects.create(
        account=account, contact_type=AlternateContactType.OPERATIONS, name="Opal", title="SRE",
        email_address="ops@example.com", phone_number="+1 206 555 0102",
    )
    AlternateContact.objects.create(
        account=account, contact_type=AlternateContactType.BILLING, name="Bill", title="Finance",
        email_address="billing@example.com", phone_number="+1 206 555 0101",
    )


def send(account, django_capture_on_commit_callbacks, mailoutbox, **arguments):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_case(Principal(account=account), **ec2_case_arguments(**arguments))
    return mailoutbox[-1]


def test_email_goes_to_root_and_cc_and_refuses_email_replies(account, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.CONSOLE_URL = "https://sandbox.example.com"
    email = send(account, django_capture_on_commit_callbacks, mailoutbox, cc_email_addresses=["dev@example.com"])
    case = Case.objects.get(account=account)
    assert email.to == [account.root_email, "dev@example.com"]
    assert "replies by email are not accepted" in email.body and email.subject.startswith("[Case ")
    assert f"https://sandbox.example.com/support/cases/{case.display_id}/" in email.body


def test_the_email_gives_the_status_the_case_ends_up_in(root, django_capture_on_commit_callbacks, mailoutbox):
    case = services.create_case(root, **ec2_case_arguments())
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PENDING_CUSTOMER_ACTION)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_communication_to_case(root, case.case_id, "Here you are.")
    assert "Status: Customer action completed" in mailoutbox[-1].body


@pytest.mark.parametrize(
    "plan, service, category, copied",
    [
        (SupportPlan.BASIC, "billing", "charges", True),
        (SupportPlan.BASIC, "service-limit-increase", "vpc", False),
        (SupportPlan.DEVELOPER, "billing", "charges", False),
    ],
)
def test_basic_plan_copies_the_operations_contact(plan, service, category, copied, django_capture_on_commit_callbacks, mailoutbox):
    account = AccountFactory(support_plan=plan)
    add_operations_contact(account)
    email = send(account, django_capture_on_commit_callbacks, mailoutbox, service_code=service, category_code=category,
                 severity_code="low")
    assert ("ops@example.com" in email.to) is copied
    assert "billing@example.com" not in email.to


def test_closing_an_account_resolves_its_open_cases(account, root):
    open_case = services.create_case(root, **ec2_case_arguments())
    done = services.create_case(root, **ec2_case_arguments())
    services.resolve_case(root, done.case_id)
    account_closed.send(sender=None, account=account)
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.RESOLVED
    note = open_case.communications.first()
    assert note.author_kind == AuthorKind.SYSTEM and note.body == receivers.ACCOUNT_CLOSED_MESSAGE
    assert open_case.transitions.get().actor_kind == "system"
    assert done.communications.count() == 1  # already resolved: left alone


def test_a_reopen_request_opens_an_account_case_for_staff(account, root):
    account.support_plan = SupportPlan.BASIC
    account.save()
    account_reopen_requested.send(sender=None, account=account, principal=root)
    case = Case.objects.get(account=account)
    assert (case.subject, case.case_type, case.status) == ("Reopen my closed account", "account-and-billing", "unassigned")


@pytest.mark.parametrize("plan", SupportPlan.values)
def test_sandbox_cases_respect_the_plan(plan):
    account = AccountFactory(support_plan=plan)
    sandbox.populate(account)
    cases = Case.objects.filter(account=account)
    statuses = set(cases.values_list("status", flat=True))
    assert cases.exists() and all(case.communications.exists() for case in cases)
    if plan == SupportPlan.BASIC:
        assert not cases.filter(case_type="technical").exists()
    else:
        assert {CaseStatus.PENDING_CUSTOMER_ACTION, CaseStatus.RESOLVED, CaseStatus.UNASSIGNED} <= statuses
    assert set(cases.values_list("severity__code", flat=True)) <= rules_for(account).severities
