"""Creating cases, replying, attachments, resolving and reopening: the rules the pages and the API share."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.attachments import MAX_ATTACHMENT_BYTES
from cases.exceptions import (
    AttachmentIdNotFound,
    AttachmentSetExpired,
    AttachmentSetIdNotFound,
    AttachmentSetSizeLimitExceeded,
    CaseCreationLimitExceeded,
    CaseIdNotFound,
    CaseValidationError,
    IllegalTransition,
    UnsupportedAttachmentType,
)
from cases.models import AuthorKind, CaseStatus
from cases.validation import parse_cc_addresses
from iam.exceptions import AccessDenied
from iam.principals import Principal
from tests.factories import allow, deny

from .conftest import PDF, PNG, TEXT, ec2_case_arguments
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("overrides, field, message", [
    ({"category_code": "no-such-category"}, "category",
     "Category no-such-category does not exist for service amazon-elastic-compute-cloud-linux."),
    ({"category_code": "no-such-category", "severity_code": "no-such-severity"}, "category",
     "Category no-such-category does not exist for service amazon-elastic-compute-cloud-linux."),
    ({"severity_code": "no-such-severity"}, "severity", "Unknown severity code: no-such-severity."),
])
def test_a_case_names_a_category_of_its_service_and_a_severity_that_exist(root, account, overrides, field, message):
    with pytest.raises(CaseValidationError) as refusal:
        services.create_case(root, **ec2_case_arguments(**overrides))
    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert not account.support_cases.exists()


def test_a_new_case_s_severity_reads_like_any_other(root):
    case = services.create_case(root, **ec2_case_arguments(severity_code="urgent"))
    assert (case.severity.code, case.severity.name, case.severity.rank) == ("urgent", "Production system down", 4)


def test_a_new_case_has_aws_style_ids_a_due_time_and_the_description_as_first_communication(root, account):
    now = timezone.now()
    attachment_set = services.add_attachments_to_set(root, [("screen.png", PNG)], now=now)
    case = services.create_case(
        root, **ec2_case_arguments(severity_code="high"), attachment_set_id=attachment_set.attachment_set_id, now=now
    )
    assert re.fullmatch(rf"case-{account.account_id}-[a-z]{{4}}-{now.year}-[0-9a-f]{{16}}", case.case_id)
    assert 1_000_000_000 <= case.display_id < 10_000_000_000
    assert case.status == CaseStatus.UNASSIGNED and case.issue_type == "technical"
    assert case.first_response_due == now + timedelta(hours=4)
    (first,) = case.communications.all()
    assert first.body == "My instance stopped answering." and first.submitted_by == account.root_email
    assert [a.file_name for a in first.attachment_set.attachments.all()] == ["screen.png"]


def test_a_display_id_another_case_has_is_drawn_again(root, monkeypatch):
    taken = services.create_case(root, **ec2_case_arguments()).display_id
    draws = iter([taken, taken, 1_234_567_890])
    monkeypatch.setattr(services, "_new_display_id", lambda: next(draws))
    case = services.create_case(root, **ec2_case_arguments())
    assert case.display_id == 1_234_567_890
    assert [c.display_id for c in selectors.describe_cases(root)] == [1_234_567_890, taken]  # the transaction goes on


def test_a_case_id_another_case_has_is_drawn_again(root, monkeypatch):
    taken = services.create_case(root, **ec2_case_arguments()).case_id
    fresh = taken[:-16] + "0123456789abcdef"
    draws = iter([taken, fresh])
    monkeypatch.setattr(services, "_new_case_id", lambda account, now: next(draws))
    case = services.create_case(root, **ec2_case_arguments())
    assert case.case_id == fresh
    assert sorted(c.case_id for c in selectors.describe_cases(root)) == sorted([taken, fresh])


def test_an_iam_user_is_recorded_by_arn(account, make_user):
    user = make_user(account, allow("support:*"), name="alice")
    case = services.create_case(Principal(account=account, user=user), **ec2_case_arguments())
    assert case.submitted_by == f"arn:aws:iam::{account.account_id}:user/alice"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"subject": "x" * 251}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"communication_body": "y" * 5001}, "communication_body"),
        ({"service_code": "amazon-simple-storage-service", "category_code": "instance-issue"}, "category"),
        ({"severity_code": "catastrophic"}, "severity"),
        ({"language": "fr"}, "language"),
        ({"issue_type": "customer-service"}, "service"),
        ({"cc_email_addresses": ["not-an-address"]}, "cc_email_addresses"),
    ],
)
def test_bad_input_is_refused_naming_the_field(root, overrides, field):
    with pytest.raises(CaseValidationError) as refused:
        services.create_case(root, **ec2_case_arguments(**overrides))
    assert refused.value.field == field
    assert not root.account.support_cases.exists()


def test_a_reply_counts_and_stores_line_breaks_as_one_character(root):
    case = services.create_case(root, **ec2_case_arguments())
    reply = services.add_communication_to_case(root, case.case_id, "x" * 4998 + "\r\n" * 2)
    assert reply.body == "x" * 4998 + "\n\n"


def test_limits_are_inclusive(root):
    case = services.create_case(root, **ec2_case_arguments(subject="s" * 250, communication_body="b" * 5000))
    assert len(case.subject) == 250


def test_a_case_without_a_service_is_general_guidance(root):
    case = services.create_case(root, subject="Question", communication_body="How do I start?", service_code=None)
    assert (case.service.code, case.category.code, case.severity.code) == ("general-info", "using-aws", "low")


def test_case_creation_is_throttled(root, settings, monkeypatch):
    monkeypatch.setattr(services, "CASE_CREATION_LIMIT", (2, timedelta(hours=1)))
    services.create_case(root, **ec2_case_arguments())
    services.create_case(root, **ec2_case_arguments())
    with pytest.raises(CaseCreationLimitExceeded):
        services.create_case(root, **ec2_case_arguments())


@pytest.mark.parametrize(
    "text, addresses",
    [
        ("a@example.com", ["a@example.com"]),
        ("a@example.com; b@example.org,c@example.net", ["a@example.com", "b@example.org", "c@example.net"]),
        (" a@example.com ;; ", ["a@example.com"]),
        ("", []),
    ],
)
def test_cc_addresses_split_on_commas_and_semicolons(text, addresses):
    assert parse_cc_addresses(text) == addresses


@pytest.mark.parametrize(
    "text, message",
    [
        ("a@example.com b@example.com", "is not a valid email address"),
        ("a@example.com; nope", "“nope” is not a valid email address"),
        ("x" * 190 + "@example.com", "at most 200 characters"),
        (",".join(f"u{n}@ex.io" for n in range(11)), "at most 10 additional contacts"),
    ],
)
def test_bad_cc_addresses_are_explained(text, message):
    with pytest.raises(CaseValidationError, match=message) as refused:
        parse_cc_addresses(text)
    assert refused.value.field == "cc_email_addresses"


# ---- attachments ----


@pytest.mark.parametrize("name, data, content_type", [
    ("shot.png", PNG, "image/png"),
    ("scan.pdf", PDF, "application/pdf"),
    ("log.txt", TEXT, "text/plain"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
    ("named-wrong.pdf", PNG, "image/png"),
])
def test_attachment_types_are_judged_by_content(root, name, data, content_type):
    attachment_set = services.add_attachments_to_set(root, [(name, data)])
    assert attachment_set.attachments.get().content_type == content_type


@pytest.mark.parametrize("name, data", [
    ("innocent.png", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows executable named like an image
    ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00"),
    ("latin1.txt", "caf\xe9".encode("latin-1")),
])
def test_anything_else_is_refused_whatever_its_name(root, name, data):
    with pytest.raises(UnsupportedAttachmentType, match=name):
        services.add_attachments_to_set(root, [(name, data)])


def test_at_most_three_attachments_per_set(root):
    three = services.add_attachments_to_set(root, [("a.txt", TEXT), ("b.txt", TEXT), ("c.txt", TEXT)])
    with pytest.raises(AttachmentSetSizeLimitExceeded, match="at most 3"):
        services.add_attachments_to_set(root, [("d.txt", TEXT)], attachment_set_id=three.attachment_set_id)
    with pytest.raises(AttachmentSetSizeLimitExceeded):
        services.add_attachments_to_set(root, [(f"{n}.txt", TEXT) for n in range(4)])
    assert three.attachments.count() == 3


def test_each_attachment_must_be_under_five_megabytes(root):
    just_under = b"a" * (MAX_ATTACHMENT_BYTES - 1)
    assert services.add_attachments_to_set(root, [("big.txt", just_under)]).attachments.get().size == len(just_under)
    with pytest.raises(AttachmentSetSizeLimitExceeded, match="less than 5 MB"):
        services.add_attachments_to_set(root, [("huge.txt", just_under + b"a")])


def test_a_set_expires_an_hour_after_creation(root):
    created = timezone.now() - timedelta(hours=1)
    attachment_set = services.add_attachments_to_set(root, [("a.txt", TEXT)], now=created)
    assert attachment_set.expiry_time == created + timedelta(hours=1)
    with pytest.raises(AttachmentSetExpired):
        services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    with pytest.raises(AttachmentSetExpired):
        services.add_attachments_to_set(root, [("b.txt", TEXT)], attachment_set_id=attachment_set.attachment_set_id)


def test_a_set_belongs_to_one_account_and_one_communication(root, other_account):
    theirs = services.add_attachments_to_set(Principal(account=other_account), [("a.txt", TEXT)])
    with pytest.raises(AttachmentSetIdNotFound):
        services.create_case(root, **ec2_case_arguments(), attachment_set_id=theirs.attachment_set_id)
    mine = services.add_attachments_to_set(root, [("a.txt", TEXT)])
    case = services.create_case(root, **ec2_case_arguments(), attachment_set_id=mine.attachment_set_id)
    with pytest.raises(AttachmentSetIdNotFound):
        services.add_communication_to_case(root, case.case_id, "again", attachment_set_id=mine.attachment_set_id)


def test_attachments_are_read_only_inside_the_account(root, other_account):
    mine = services.add_attachments_to_set(root, [("a.txt", TEXT)]).attachments.get()
    assert selectors.describe_attachment(root, mine.attachment_id).read_bytes() == TEXT
    with pytest.raises(AttachmentIdNotFound):
        selectors.describe_attachment(Principal(account=other_account), mine.attachment_id)


def test_attachments_of_cases_past_the_history_are_gone(root):
    long_ago = timezone.now() - timedelta(days=366)
    attachment_set = services.add_attachments_to_set(root, [("old.txt", TEXT)], now=long_ago)
    services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id, now=long_ago)
    with pytest.raises(AttachmentIdNotFound):
        selectors.describe_attachment(root, attachment_set.attachments.get().attachment_id)


# ---- replies, resolving, reopening ----


def test_a_reply_to_a_case_pending_customer_action_hands_it_back(root):
    case = services.create_case(root, **ec2_case_arguments())
    case.status = CaseStatus.PENDING_CUSTOMER_ACTION
    case.save()
    services.add_communication_to_case(root, case.case_id, "Here are the logs.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CUSTOMER_ACTION_COMPLETED
    assert case.transitions.get().actor_kind == AuthorKind.CUSTOMER


def test_replying_to_a_resolved_case_is_refused(root):
    case = services.create_case(root, **ec2_case_arguments())
    services.resolve_case(root, case.case_id)
    with pytest.raises(IllegalTransition, match="resolved. Reopen it"):
        services.add_communication_to_case(root, case.case_id, "Hello?")
    assert case.communications.count() == 1


def test_resolve_reports_initial_and_final_status_and_is_idempotent(root):
    case = services.create_case(root, **ec2_case_arguments())
    assert services.resolve_case(root, case.case_id) == ("unassigned", "resolved")
    assert services.resolve_case(root, case.case_id) == ("resolved", "resolved")
    assert case.transitions.count() == 1


def test_a_resolved_case_can_be_reopened_with_a_reply(root):
    case = services.create_case(root, **ec2_case_arguments())
    services.resolve_case(root, case.case_id)
    services.reopen_case(root, case.case_id, "It happened again.")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED
    assert case.communications.first().body == "It happened again."


def test_cases_older_than_the_history_cannot_be_touched(root):
    old = CaseFactory(account=root.account, time_created=timezone.now() - timedelta(days=366), status=CaseStatus.RESOLVED)
    with pytest.raises(CaseIdNotFound):
        services.reopen_case(root, old.case_id, "Remember me?")
    assert not selectors.describe_cases(root, include_resolved_cases=True).exists()


def test_another_accounts_case_is_not_found(root, other_account):
    theirs = services.create_case(Principal(account=other_account), **ec2_case_arguments())
    for attempt in (
        lambda: services.add_communication_to_case(root, theirs.case_id, "hi"),
        lambda: services.resolve_case(root, theirs.case_id),
        lambda: selectors.describe_communications(root, theirs.case_id),
        lambda: selectors.describe_cases(root, case_id_list=[theirs.case_id]),
    ):
        with pytest.raises(CaseIdNotFound):
            attempt()
    assert not selectors.describe_cases(root, include_resolved_cases=True).exists()


@pytest.mark.parametrize("action, attempt", [
    ("support:CreateCase", lambda p, case: services.create_case(p, **ec2_case_arguments())),
    ("support:AddCommunicationToCase", lambda p, case: services.add_communication_to_case(p, case.case_id, "hi")),
    ("support:AddAttachmentsToSet", lambda p, case: services.add_attachments_to_set(p, [("a.txt", TEXT)])),
    ("support:ResolveCase", lambda p, case: services.resolve_case(p, case.case_id)),
    ("support:DescribeCases", lambda p, case: selectors.describe_cases(p)),
    ("support:DescribeCases", lambda p, case: selectors.describe_all_cases(p, include_resolved_cases=True, columns=("pk",))),
    ("support:DescribeCommunications", lambda p, case: selectors.describe_communications(p, case.case_id)),
    ("support:DescribeServices", lambda p, case: selectors.describe_services(p)),
    ("support:DescribeSeverityLevels", lambda p, case: selectors.describe_severity_levels(p)),
])
def test_every_operation_makes_its_iam_check(account, root, make_user, action, attempt):
    case = services.create_case(root, **ec2_case_arguments())
    user = make_user(account, allow("support:*"), deny(action))
    with pytest.raises(AccessDenied, match=action):
        attempt(Principal(account=account, user=user), case)


def test_describe_cases_filters_like_the_api(root):
    now = timezone.now()
    early = services.create_case(root, **ec2_case_arguments(language="ja"), now=now - timedelta(days=3))
    late = services.create_case(root, **ec2_case_arguments(), now=now - timedelta(hours=1))
    services.resolve_case(root, late.case_id)
    assert list(selectors.describe_cases(root)) == [early]
    assert list(selectors.describe_cases(root, include_resolved_cases=True)) == [late, early]
    assert list(selectors.describe_cases(root, include_resolved_cases=True, after_time=now - timedelta(days=1))) == [late]
    assert list(selectors.describe_cases(root, include_resolved_cases=True, before_time=now - timedelta(days=1))) == [early]
    assert list(selectors.describe_cases(root, display_id=str(late.display_id))) == [late]
    assert list(selectors.describe_cases(root, include_resolved_cases=True, language="ja")) == [early]
    with pytest.raises(CaseIdNotFound):
        selectors.describe_cases(root, case_id_list=[early.case_id, "case-nope"])


@pytest.mark.parametrize("include_resolved", [False, True])
def test_the_compiled_listing_of_all_cases_pages_as_describe_cases_does(root, other_account, include_resolved):
    now = timezone.now()
    cases = [CaseFactory(account=root.account, time_created=now - timedelta(minutes=minutes)) for minutes in range(7)]
    CaseFactory(account=root.account, time_created=now - timedelta(minutes=2))  # the same time: the key decides
    CaseFactory(account=root.account, time_created=now - timedelta(days=400))  # past the 12 months of history
    CaseFactory(account=other_account, time_created=now)
    for case in cases[1::3]:
        services.resolve_case(root, case.case_id)
    columns = ("pk", "case_id", "status", "service__code", "time_created", "cc_email_addresses")
    expected = list(selectors.describe_cases(root, include_resolved_cases=include_resolved).values(*columns))
    assert len(expected) == (8 if include_resolved else 6)
    listing = selectors.describe_all_cases(root, include_resolved_cases=include_resolved, columns=columns)
    assert listing[0:100] == expected
    assert listing[0:3] + listing[3:6] + listing[6:9] == expected
    assert listing[8:20] == []


def test_describe_services_lists_the_catalog(root):
    services_by_code = {service.code: service for service in selectors.describe_services(root)}
    technical = [s for s in services_by_code.values() if s.case_type == "technical"]
    assert len(technical) >= 25
    assert all(len(service.categories.all()) >= 3 for service in services_by_code.values())
    ec2 = services_by_code["amazon-elastic-compute-cloud-linux"]
    assert ec2.name == "Elastic Compute Cloud (EC2 - Linux)"
    assert "Instance Issue" in [category.name for category in ec2.categories.all()]
    assert [level.code for level in selectors.describe_severity_levels(root)] == ["low", "normal", "high", "urgent", "critical"]
