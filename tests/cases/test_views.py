"""The Support Center pages: list, create, detail, reply, close, downloads."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SupportPlan
from accounts.services import close_account, request_reopen
from cases import services
from cases.attachments import MAX_ATTACHMENT_BYTES
from cases.models import Case, CaseStatus
from events.models import Event
from iam.principals import Principal
from tests.factories import allow, deny

from .conftest import PNG, TEXT, ec2_case_arguments
from .factories import CaseFactory, category

pytestmark = pytest.mark.django_db

SUPPORT_WITHOUT_RESOLVE = (allow("support:*"), deny("support:ResolveCase"))


def create_form(**overrides) -> dict:
    return {
        "case_type": "technical",
        "service": "amazon-elastic-compute-cloud-linux",
        "category": "instance-issue",
        "severity": "normal",
        "extra_ids": "i-0abc1234def567890",
        "subject": "Failed status checks",
        "description": "It stopped answering.",
        "language": "en",
        "contact_method": "web",
        "callback_number": "",
        "cc_email_addresses": "ops@example.com; dev@example.com",
        **overrides,
    }


# ---- create ----


def test_creating_a_case_with_attachments_opens_its_page(root_client, account):
    files = [SimpleUploadedFile("shot.png", PNG), SimpleUploadedFile("log.txt", TEXT)]
    response = root_client.post("/support/cases/new/", {**create_form(), "attachments": files})
    case = Case.objects.get(account=account)
    assert response.status_code == 302 and response.url == f"/support/cases/{case.display_id}/"
    assert case.extra_details == {"instance_ids": "i-0abc1234def567890"}
    assert case.cc_email_addresses == ["ops@example.com", "dev@example.com"]
    page = root_client.get(response.url).content.decode()
    assert "Failed status checks" in page and "shot.png" in page and "log.txt" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"subject": "s" * 251}, "subject", "at most 250 characters"),
        ({"description": "d" * 5001}, "description", "at most 5000 characters"),
        ({"severity": "critical"}, "severity", "does not offer this severity"),
        ({"category": "replication"}, "category", "Select a valid choice"),
        ({"service": "amazon-teleportation", "category": "instance-issue"}, "service", "Select a valid choice"),
        ({"cc_email_addresses": "ops@example.com, nope"}, "cc_email_addresses", "“nope” is not a valid email address"),
        ({"contact_method": "phone"}, "callback_number", "number we can call you back on"),
        ({"case_type": "service-limit-increase", "service": "service-limit-increase", "category": "vpc"}, "region", "required"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_keeps_what_was_typed(root_client, overrides, field, message):
    response = root_client.post("/support/cases/new/", create_form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "It stopped answering." in page and 'id="id_subject_error"' in page or field != "subject"
    assert not Case.objects.exists()


def test_a_basic_plan_service_limit_increase_keeps_its_limit_details(account, root_client):
    account.support_plan = SupportPlan.BASIC
    account.save()
    form = create_form(
        case_type="service-limit-increase", service="service-limit-increase", category="ec2-instances", severity="low",
        region="eu-west-1", new_limit_value="64", cc_email_addresses="",
    )
    assert root_client.post("/support/cases/new/", form).status_code == 302
    case = Case.objects.get(account=account)
    assert case.case_type == "service-limit-increase" and case.status == CaseStatus.UNASSIGNED
    assert case.extra_details == {"region": "eu-west-1", "new_limit_value": 64}
    page = root_client.get(f"/support/cases/{case.display_id}/").content.decode()
    assert "eu-west-1" in page and "New limit value" in page


def test_line_breaks_count_as_one_character_like_the_live_counter(root_client, account):
    description = "a" * 4990 + "\r\n" * 10  # 5010 characters as sent, 5000 as typed
    assert root_client.post("/support/cases/new/", create_form(description=description)).status_code == 302
    assert Case.objects.get(account=account).communications.get().body == "a" * 4990 + "\n" * 10


def test_too_many_attachments_are_refused_beside_the_field(root_client):
    files = [SimpleUploadedFile(f"{n}.txt", TEXT) for n in range(4)]
    response = root_client.post("/support/cases/new/", {**create_form(), "attachments": files})
    assert response.status_code == 200
    assert "at most 3 attachments" in response.context["form"].errors["attachments"][0]
    assert not Case.objects.exists()


def test_an_attachment_of_five_megabytes_is_refused_beside_the_field(root_client):
    big = SimpleUploadedFile("dump.txt", b"a" * MAX_ATTACHMENT_BYTES)
    response = root_client.post("/support/cases/new/", {**create_form(), "attachments": [big]})
    assert "less than 5 MB" in response.context["form"].errors["attachments"][0]
    assert "It stopped answering." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("plan, method", [(SupportPlan.DEVELOPER, "chat"), (SupportPlan.DEVELOPER, "phone"), (SupportPlan.BASIC, "chat")])
def test_a_contact_method_the_plan_lacks_is_refused_beside_the_field(account, root_client, plan, method):
    account.support_plan = plan
    account.save()
    form = create_form(contact_method=method, callback_number="+1 206 555 0100", cc_email_addresses="", severity="low")
    if plan == SupportPlan.BASIC:
        form.update(case_type="account-and-billing", service="billing", category="charges")
    response = root_client.post("/support/cases/new/", form)
    assert "offers contact by web only" in response.context["form"].errors["contact_method"][0]
    page = response.content.decode()
    assert 'value="Failed status checks"' in page and 'value="chat"' not in page
    assert not Case.objects.exists()


def kept_set_id(response) -> str:
    page = response.content.decode()
    start = page.index('name="attachment_set_id" value="') + len('name="attachment_set_id" value="')
    return page[start:page.index('"', start)]


def test_files_are_kept_when_the_form_comes_back_with_errors(root_client, account):
    response = root_client.post(
        "/support/cases/new/", {**create_form(subject="s" * 251), "attachments": [SimpleUploadedFile("shot.png", PNG)]}
    )
    assert "at most 250 characters" in response.context["form"].errors["subject"][0]
    assert "Already attached: <strong>shot.png</strong>" in response.content.decode()
    response = root_client.post("/support/cases/new/", {**create_form(), "attachment_set_id": kept_set_id(response)})
    case = Case.objects.get(account=account)
    assert response.status_code == 302
    assert [a.file_name for a in case.communications.get().attachment_set.attachments.all()] == ["shot.png"]


def test_kept_files_count_towards_the_three(root_client):
    first = root_client.post(
        "/support/cases/new/", {**create_form(subject=""), "attachments": [SimpleUploadedFile("a.txt", TEXT), SimpleUploadedFile("z.txt", TEXT)]}
    )
    response = root_client.post("/support/cases/new/", {
        **create_form(), "attachment_set_id": kept_set_id(first),
        "attachments": [SimpleUploadedFile(f"{n}.txt", TEXT) for n in "bc"],
    })
    assert "at most 3 attachments" in response.context["form"].errors["attachments"][0]
    assert "Already attached: <strong>a.txt</strong>, <strong>z.txt</strong>." in response.content.decode()
    assert not Case.objects.exists()


def test_another_accounts_attachment_set_cannot_be_slipped_in(root_client, other_account):
    theirs = services.add_attachments_to_set(Principal(account=other_account), [("secret.txt", TEXT)])
    response = root_client.post("/support/cases/new/", {**create_form(), "attachment_set_id": theirs.attachment_set_id})
    assert "could not be found" in response.context["form"].errors["attachments"][0]
    assert "secret.txt" not in response.content.decode() and not Case.objects.exists()


def test_a_reply_shown_again_keeps_its_files(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    response = root_client.post(
        f"/support/cases/{case.display_id}/reply/",
        {"description": "", "attachments": [SimpleUploadedFile("log.txt", TEXT)]}, HTTP_HX_REQUEST="true",
    )
    assert "Already attached: <strong>log.txt</strong>" in response.content.decode()
    root_client.post(
        f"/support/cases/{case.display_id}/reply/", {"description": "Now with words.", "attachment_set_id": kept_set_id(response)}
    )
    reply = case.communications.first()
    assert reply.body == "Now with words." and reply.attachment_set.attachments.get().file_name == "log.txt"


def test_an_executable_disguised_as_an_image_is_refused(root_client):
    response = root_client.post(
        "/support/cases/new/", {**create_form(), "attachments": [SimpleUploadedFile("cat.png", b"MZ\x90\x00binary")]}
    )
    assert "not an image, a text file or a PDF" in response.context["form"].errors["attachments"][0]


def test_basic_plan_cannot_open_technical_cases_and_has_no_cc_box(account, root_client):
    account.support_plan = SupportPlan.BASIC
    account.save()
    page = root_client.get("/support/cases/new/").content.decode()
    assert 'name="cc_email_addresses"' not in page and "operations alternate contact" in page
    response = root_client.post("/support/cases/new/", create_form(cc_email_addresses=""))
    assert "does not include technical cases" in response.context["form"].errors["case_type"][0]


def test_choosing_a_category_brings_its_help_and_extra_field_through_htmx(root_client):
    response = root_client.get(
        "/support/cases/new/?case_type=technical&service=amazon-elastic-compute-cloud-linux&category=instance-issue",
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Instance ID(s)" in page and "Troubleshooting Elastic Compute Cloud (EC2 - Linux)" in page
    limit = root_client.get("/support/cases/new/?case_type=service-limit-increase", HTTP_HX_REQUEST="true").content.decode()
    assert "Limit type" in limit and "New limit value" in limit and "EC2 Instances" in limit


SEVERITY_NAMES = [
    "General guidance", "System impaired", "Production system impaired", "Production system down", "Business-critical system down",
]


@pytest.mark.parametrize("plan, shown, business_hours", [
    (SupportPlan.DEVELOPER, SEVERITY_NAMES[:2], True),
    (SupportPlan.BUSINESS, SEVERITY_NAMES[:4], False),
    (SupportPlan.ENTERPRISE, SEVERITY_NAMES, False),
])
def test_the_severity_guide_lists_what_the_plan_offers(account, root_client, plan, shown, business_hours):
    account.support_plan = plan
    account.save()
    page = root_client.get("/support/cases/new/").content.decode()
    start = page.index('data-testid="severity-guide"')
    guide = page[start:page.index("</details>", start)]
    assert [name for name in SEVERITY_NAMES if f"<dt>{name}</dt>" in guide] == shown
    assert ("count business hours" in guide) is business_hours


def test_a_user_without_create_case_gets_the_aws_denial(account, user_client):
    client = user_client(account, allow("support:DescribeCases"), name="viewer")
    response = client.get("/support/cases/new/")
    assert response.status_code == 403 and "support:CreateCase" in response.content.decode()
    assert 'href="/support/cases/new/"' not in client.get("/support/").content.decode()


# ---- list ----


def test_list_shows_open_cases_and_filters_search_and_sort(account, root_client):
    now = timezone.now()
    CaseFactory(account=account, subject="Disk full", time_created=now - timedelta(days=1))
    CaseFactory(account=account, subject="Bill question", category=category("billing", "charges"), time_created=now)
    CaseFactory(account=account, subject="Old and done", status=CaseStatus.RESOLVED, time_created=now - timedelta(days=2))
    CaseFactory(account=account, subject="Too old", time_created=now - timedelta(days=400))

    def subjects(query):
        return [case.subject for case in root_client.get(f"/support/?{query}").context["table"].page]

    assert subjects("") == ["Bill question", "Disk full"]
    assert subjects("status=all") == ["Bill question", "Disk full", "Old and done"]
    assert subjects("status=resolved") == ["Old and done"]
    assert subjects("case_type=account-and-billing") == ["Bill question"]
    assert subjects("q=disk") == ["Disk full"]
    assert subjects("sort=subject") == ["Bill question", "Disk full"]
    assert subjects("sort=-subject") == ["Disk full", "Bill question"]
    day = (now - timedelta(days=1)).date().isoformat()
    assert subjects(f"created_before={day}") == ["Disk full"]


def test_search_finds_a_case_by_display_id(account, root_client):
    case = CaseFactory(account=account)
    CaseFactory(account=account)
    assert [c.pk for c in root_client.get(f"/support/?q={case.display_id}").context["table"].page] == [case.pk]


def test_the_list_never_shows_another_accounts_cases(account, other_account, root_client):
    CaseFactory(account=other_account, subject="Their secret")
    assert "Their secret" not in root_client.get("/support/?status=all").content.decode()


def test_filters_and_paging_answer_htmx_with_the_table(account, root_client):
    CaseFactory.create_batch(12, account=account)
    response = root_client.get("/support/?per_page=10&page=2", HTTP_HX_REQUEST="true")
    assert len(response.context["table"].page) == 2
    assert 'hx-select=".table-region"' in response.content.decode()


@pytest.mark.parametrize("sort", ["-created", "created", "subject"])
def test_every_page_shows_its_slice_of_the_list_the_last_ones_read_from_the_end(account, root_client, sort):
    CaseFactory.create_batch(27, account=account)
    listed = [case.pk for case in root_client.get(f"/support/?status=all&sort={sort}&per_page=100").context["table"].page]
    paged = [
        [case.pk for case in root_client.get(f"/support/?status=all&sort={sort}&per_page=10&page={number}").context["table"].page]
        for number in (1, 2, 3)
    ]
    assert paged == [listed[:10], listed[10:20], listed[20:]] and len(listed) == 27


def test_list_query_count_does_not_grow_with_rows(account, root_client):
    CaseFactory(account=account)
    with CaptureQueriesContext(connection) as few:
        root_client.get("/support/")
    CaseFactory.create_batch(20, account=account, category=category("billing", "charges"))
    with CaptureQueriesContext(connection) as many:
        root_client.get("/support/")
    assert len(many) == len(few)


# ---- detail, reply, close ----


def test_detail_shows_the_thread_newest_first_with_constant_queries(account, root, root_client):
    first_set = services.add_attachments_to_set(root, [("first.txt", TEXT)])
    case = services.create_case(
        root, **ec2_case_arguments(communication_body="first message"), attachment_set_id=first_set.attachment_set_id
    )
    services.add_communication_to_case(root, case.case_id, "second message")
    with CaptureQueriesContext(connection) as few:
        page = root_client.get(f"/support/cases/{case.display_id}/").content.decode()
    assert page.index("second message") < page.index("first message")
    for n in range(5):
        attachment_set = services.add_attachments_to_set(root, [(f"{n}.txt", TEXT)])
        services.add_communication_to_case(root, case.case_id, f"more {n}", attachment_set_id=attachment_set.attachment_set_id)
    with CaptureQueriesContext(connection) as many:
        root_client.get(f"/support/cases/{case.display_id}/")
    assert len(many) == len(few)


def test_a_case_past_its_12_months_is_gone_from_the_console(account, root_client):
    old = CaseFactory(account=account, time_created=timezone.now() - timedelta(days=366), status=CaseStatus.RESOLVED)
    assert root_client.get(f"/support/cases/{old.display_id}/").status_code == 404
    assert root_client.post(f"/support/cases/{old.display_id}/reply/", {"description": "hi", "reopen": "true"}).status_code == 404


def test_another_accounts_case_page_is_not_found(root_client, other_account):
    theirs = services.create_case(Principal(account=other_account), **ec2_case_arguments())
    assert root_client.get(f"/support/cases/{theirs.display_id}/").status_code == 404
    assert root_client.post(f"/support/cases/{theirs.display_id}/resolve/").status_code == 404


def test_reply_through_htmx_returns_the_refreshed_conversation(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    response = root_client.post(
        f"/support/cases/{case.display_id}/reply/",
        {"description": "Logs attached.", "attachments": [SimpleUploadedFile("log.txt", TEXT)]},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="conversation"')
    assert "Logs attached." in page and "log.txt" in page


def test_an_htmx_reply_also_refreshes_the_status_in_the_header(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PENDING_CUSTOMER_ACTION)
    page = root_client.post(
        f"/support/cases/{case.display_id}/reply/", {"description": "Done."}, HTTP_HX_REQUEST="true"
    ).content.decode()
    header = page[page.index('id="case-header"'):]
    assert 'hx-swap-oob="true"' in header and "Customer action completed" in header


def test_reopening_through_htmx_brings_back_the_close_button(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    services.resolve_case(root, case.case_id)
    page = root_client.post(
        f"/support/cases/{case.display_id}/reply/", {"description": "Again.", "reopen": "true"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    header = page[page.index('id="case-header"'):]
    assert "Reopened" in header and "Close case" in header


def test_a_reply_without_htmx_redirects_to_the_case(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    response = root_client.post(f"/support/cases/{case.display_id}/reply/", {"description": "Plain form."})
    assert response.status_code == 302 and response.url == f"/support/cases/{case.display_id}/"
    assert case.communications.first().body == "Plain form."


def test_closing_a_case_is_recorded_in_the_event_history(account, root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    root_client.post(f"/support/cases/{case.display_id}/resolve/", HTTP_HX_REQUEST="true")
    assert Event.objects.filter(account=account, event_name="ResolveCase", event_source="support.amazonaws.com").exists()


def test_an_empty_or_too_long_reply_is_explained_and_kept(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    response = root_client.post(f"/support/cases/{case.display_id}/reply/", {"description": "r" * 5001})
    assert "at most 5000 characters" in response.context["reply_form"].errors["description"][0]
    assert "r" * 5001 in response.content.decode()
    assert case.communications.count() == 1


def test_closing_and_reopening_a_case(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    response = root_client.post(f"/support/cases/{case.display_id}/resolve/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == f"/support/cases/{case.display_id}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    page = root_client.get(f"/support/cases/{case.display_id}/").content.decode()
    assert "Close case" not in page and "Reopen case" in page
    assert 'name="reopen" value="true"' in page
    root_client.post(f"/support/cases/{case.display_id}/reply/", {"description": "Still broken.", "reopen": "true"})
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED


def test_a_reply_to_a_case_resolved_meanwhile_is_refused_and_kept(root, root_client):
    case = services.create_case(root, **ec2_case_arguments())
    assert 'name="reopen"' not in root_client.get(f"/support/cases/{case.display_id}/").content.decode()
    services.resolve_case(root, case.case_id)  # e.g. by another user while this one was typing
    response = root_client.post(
        f"/support/cases/{case.display_id}/reply/", {"description": "One more detail."}, HTTP_HX_REQUEST="true"
    )
    assert "resolved. Reopen it" in response.context["reply_form"].errors["description"][0]
    page = response.content.decode()
    assert "One more detail." in page and "Reopen case" in page and 'name="reopen" value="true"' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and case.communications.count() == 1


def test_support_agent_without_resolve_sees_no_close_button_and_is_denied(account, root, user_client):
    case = services.create_case(root, **ec2_case_arguments())
    agent = user_client(account, *SUPPORT_WITHOUT_RESOLVE, name="support-agent")
    page = agent.get(f"/support/cases/{case.display_id}/").content.decode()
    assert "Close case" not in page and "Submit reply" in page
    response = agent.post(f"/support/cases/{case.display_id}/resolve/")
    assert response.status_code == 403 and "support:ResolveCase" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.UNASSIGNED


def test_a_read_only_user_sees_the_thread_but_no_reply_form_or_close_button(account, root, user_client):
    case = services.create_case(root, **ec2_case_arguments())
    reader = user_client(account, allow("support:Describe*"), name="reader")
    page = reader.get(f"/support/cases/{case.display_id}/").content.decode()
    assert "My instance stopped answering." in page
    assert "Submit reply" not in page and "Close case" not in page
    response = reader.post(f"/support/cases/{case.display_id}/reply/", {"description": "sneaky"})
    assert response.status_code == 403 and "support:AddCommunicationToCase" in response.content.decode()
    assert case.communications.count() == 1


def test_attachments_download_only_with_permission_and_inside_the_account(account, root, root_client, user_client, other_account):
    attachment_set = services.add_attachments_to_set(root, [("shot.png", PNG)])
    services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    attachment = attachment_set.attachments.get()
    url = f"/support/attachments/{attachment.attachment_id}/"
    response = root_client.get(url)
    assert response.status_code == 200 and response.getvalue() == PNG
    assert response["Content-Type"] == "image/png" and 'attachment; filename="shot.png"' == response["Content-Disposition"]
    no_download = user_client(account, allow("support:*"), deny("support:DescribeAttachment"))
    assert no_download.get(url).status_code == 403
    stranger = user_client(other_account, allow("support:*"))
    assert stranger.get(url).status_code == 404


def test_the_root_user_of_a_closed_account_still_reaches_the_support_center(account, root, root_client):
    open_case = services.create_case(root, **ec2_case_arguments())
    close_account(root, account.account_id)
    request_reopen(Principal(account=account))

    listing = root_client.get("/support/?status=all").content.decode()
    assert str(open_case.display_id) in listing
    reopen_case = Case.objects.filter(account=account).exclude(pk=open_case.pk).get()
    page = root_client.get(f"/support/cases/{reopen_case.display_id}/")
    assert page.status_code == 200
    response = root_client.post(f"/support/cases/{reopen_case.display_id}/reply/", {"description": "Please reopen it."})
    assert response.status_code == 302
    assert reopen_case.communications.filter(body="Please reopen it.").exists()
    # The rest of the console stays closed.
    assert root_client.get("/iam/users/").status_code == 403
