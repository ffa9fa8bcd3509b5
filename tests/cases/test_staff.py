"""The staff site: the unassigned queue, a case's conversation page, and the editable catalog."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import engineering, services
from cases.admin import QueuePaginator
from cases.models import AuthorKind, CaseStatus, Service, SeverityLevel
from iam.principals import Principal

from .conftest import PNG, TEXT, ec2_case_arguments
from .factories import CaseFactory

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/case/"


def test_the_queue_lists_unassigned_cases_due_first_with_overdue_marked(staff_client):
    now = timezone.now()
    later = CaseFactory(subject="Due later", first_response_due=now + timedelta(hours=3))
    overdue = CaseFactory(subject="Already late", first_response_due=now - timedelta(minutes=5))
    CaseFactory(subject="Being worked", status=CaseStatus.WORK_IN_PROGRESS)
    response = staff_client.get(QUEUE)
    assert [case.pk for case in response.context["cl"].result_list] == [overdue.pk, later.pk]
    page = response.content.decode()
    assert page.count("case-overdue") == 1 and "Being worked" not in page
    assert "Being worked" in staff_client.get(f"{QUEUE}?queue=open").content.decode()


def test_queue_queries_do_not_grow_with_cases(staff_client, django_assert_max_num_queries):
    CaseFactory()
    with django_assert_max_num_queries(12) as few:
        staff_client.get(QUEUE)
    CaseFactory.create_batch(30)
    with django_assert_max_num_queries(len(few)):
        staff_client.get(QUEUE)


@pytest.mark.parametrize("filtered", [False, True])
def test_the_queue_shows_each_case_as_the_admin_shows_its_columns(staff_client, staff_user, filtered):
    """The queue renders its rows itself (CaseAdmin.queue_row) for speed: cell for cell what Django's admin
    renders from list_display, links keeping the queue's filters included."""
    now = timezone.now()
    CaseFactory(subject="Late <b>& loud</b>", first_response_due=now - timedelta(minutes=5))
    CaseFactory(subject="Answered case", first_responded_at=now)
    CaseFactory(subject="Taken case", assignee=staff_user, status=CaseStatus.WORK_IN_PROGRESS)
    normal = SeverityLevel.objects.get(code="normal")
    query = f"?queue=all&severity__id__exact={normal.pk}&q=a&o=2.-3&p=1" if filtered else ""
    cl = staff_client.get(f"{QUEUE}{query}").context["cl"]
    assert len(cl.result_list) == (3 if filtered else 2)
    assert ["".join(row) for row in cl.rows()] == ["".join(items_for_result(cl, case, None)) for case in cl.result_list]


def test_a_long_queue_is_counted_up_to_a_cap_and_paged_25_at_a_time(staff_client, monkeypatch):
    monkeypatch.setattr(QueuePaginator, "COUNT_CAP", 30)
    CaseFactory.create_batch(31)
    page = staff_client.get(QUEUE)
    assert len(page.context["cl"].result_list) == 25
    assert "more than 30 cases" in page.content.decode()
    second = staff_client.get(f"{QUEUE}?p=2")
    assert len(second.context["cl"].result_list) == 5
    monkeypatch.setattr(QueuePaginator, "COUNT_CAP", 31)
    assert "31 cases" in staff_client.get(QUEUE).content.decode()


def test_a_search_matching_more_than_the_cap_says_so(staff_client, monkeypatch):
    monkeypatch.setattr(QueuePaginator, "COUNT_CAP", 30)
    CaseFactory.create_batch(31, subject="Throttled API calls")
    CaseFactory(subject="Billing question")
    found = staff_client.get(f"{QUEUE}?q=throttled").content.decode()
    assert "more than 30 results" in found and "more than 30 cases" in found
    narrow = staff_client.get(f"{QUEUE}?q=billing").content.decode()
    assert "1 result" in narrow and "more than" not in narrow


def test_assign_reply_and_resolve_from_the_case_page(staff_client, staff_user, root, mailoutbox, django_capture_on_commit_callbacks):
    case = services.create_case(root, **ec2_case_arguments())
    url = f"{QUEUE}{case.pk}/change/"
    assert staff_client.post(url, {"action": "assign"}).status_code == 302
    case.refresh_from_db()
    assert case.assignee == staff_user and case.status == CaseStatus.WORK_IN_PROGRESS

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {
            "action": "reply", "body": "Please send the system log.", "next_status": CaseStatus.PENDING_CUSTOMER_ACTION,
            "attachments": [SimpleUploadedFile("howto.txt", TEXT)],
        })
    case.refresh_from_db()
    reply = case.communications.first()
    assert (reply.author_kind, reply.submitted_by, reply.body) == (AuthorKind.AMAZON, "Amazon Web Services", "Please send the system log.")
    assert reply.attachment_set.attachments.get().file_name == "howto.txt"
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION and case.first_responded_at is not None
    assert mailoutbox[-1].to == [root.account.root_email] and "Please send the system log." in mailoutbox[-1].body

    staff_client.post(url, {"action": "status", "status": CaseStatus.PENDING_AMAZON_ACTION})
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_AMAZON_ACTION

    staff_client.post(url, {"action": "resolve"})
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert [(t.from_status, t.to_status, t.actor_name) for t in case.transitions.all()] == [
        ("unassigned", "work-in-progress", "engineer1"),
        ("work-in-progress", "pending-customer-action", "engineer1"),
        ("pending-customer-action", "opened", "engineer1"),
        ("opened", "resolved", "engineer1"),
    ]
    page = staff_client.get(url).content.decode()
    assert "Only the customer can reopen it" in page and "Send reply" not in page


def test_staff_open_the_customers_attachments_from_the_case_page(staff_client, root, other_account):
    attachment_set = services.add_attachments_to_set(root, [("shot.png", PNG)])
    case = services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    attachment = attachment_set.attachments.get()
    page = staff_client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    url = f"{QUEUE}{case.pk}/attachments/{attachment.attachment_id}/"
    assert f'href="{url}"' in page
    response = staff_client.get(url)
    assert response.status_code == 200 and response.getvalue() == PNG and response["Content-Type"] == "image/png"
    other = services.create_case(Principal(account=other_account), **ec2_case_arguments())
    assert staff_client.get(f"{QUEUE}{other.pk}/attachments/{attachment.attachment_id}/").status_code == 404


def test_an_overdue_case_is_flagged_on_its_page(staff_client):
    late = CaseFactory(first_response_due=timezone.now() - timedelta(minutes=1))
    assert "First response overdue" in staff_client.get(f"{QUEUE}{late.pk}/change/").content.decode()
    on_time = CaseFactory(first_response_due=timezone.now() + timedelta(hours=1))
    assert "First response overdue" not in staff_client.get(f"{QUEUE}{on_time.pk}/change/").content.decode()


def test_case_page_queries_do_not_grow_with_the_thread(staff_client, staff_user, root, django_assert_max_num_queries):
    attachment_set = services.add_attachments_to_set(root, [("first.txt", TEXT)])
    case = services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    url = f"{QUEUE}{case.pk}/change/"
    with django_assert_max_num_queries(30) as few:
        staff_client.get(url)
    for n in range(4):
        engineering.reply(case, staff_user, f"Answer {n}", attachments=[(f"{n}.txt", TEXT)])
        services.add_communication_to_case(root, case.case_id, f"Question {n}")
    with django_assert_max_num_queries(len(few)):
        staff_client.get(url)


def test_an_empty_staff_reply_is_explained(staff_client, root):
    case = services.create_case(root, **ec2_case_arguments())
    response = staff_client.post(f"{QUEUE}{case.pk}/change/", {"action": "reply", "body": "", "next_status": "opened"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert case.communications.count() == 1


def test_an_illegal_staff_move_is_refused_with_a_message(staff_client, root):
    case = services.create_case(root, **ec2_case_arguments())
    services.resolve_case(root, case.case_id)
    response = staff_client.post(f"{QUEUE}{case.pk}/change/", {"action": "status", "status": "opened"}, follow=True)
    assert "cannot be moved to pending amazon action" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_assign_to_me_as_a_bulk_action(staff_client, staff_user):
    cases = CaseFactory.create_batch(2)
    done = CaseFactory(status=CaseStatus.RESOLVED)
    response = staff_client.post(
        f"{QUEUE}?queue=all", {"action": "assign_to_me", "_selected_action": [c.pk for c in [*cases, done]]}, follow=True
    )
    page = response.content.decode()
    assert "Assigned 2 case(s) to you." in page and f"Resolved cases cannot be assigned: {done.display_id}." in page
    for case in cases:
        case.refresh_from_db()
        assert case.assignee == staff_user and case.status == CaseStatus.WORK_IN_PROGRESS
    done.refresh_from_db()
    assert done.assignee is None and done.status == CaseStatus.RESOLVED


def test_the_catalog_is_editable_and_iam_is_not_on_the_staff_site(admin_client):
    ec2 = Service.objects.get(code="amazon-elastic-compute-cloud-linux")
    page = admin_client.get(f"/staff/cases/service/{ec2.pk}/change/").content.decode()
    assert "Instance Issue" in page
    registered = {model._meta.app_label for model in admin.site._registry}
    assert "iam" not in registered


def test_customers_cannot_reach_the_staff_site(root_client):
    assert root_client.get(QUEUE).status_code == 302
    assert root_client.get(f"{QUEUE}1/attachments/attachment-x/").status_code == 302


def test_the_simulated_engineer_cannot_sign_in():
    engineer = engineering.simulated_engineer()
    assert not engineer.has_usable_password() and not engineer.is_staff
    assert engineering.simulated_engineer() == engineer


def _found(staff_client, search: str) -> set[str]:
    page = staff_client.get(QUEUE, {"queue": "all", "q": search})
    assert page.status_code == 200
    return {case.subject for case in page.context["cl"].result_list}


def test_the_queue_search_finds_a_case_by_number_case_id_account_or_words_of_its_subject(staff_client):
    throttled = CaseFactory(subject="Throttled API calls in eu-west-1")
    billing = CaseFactory(subject="Billing question about RDS", status=CaseStatus.RESOLVED)
    CaseFactory(subject="Something else entirely")
    assert _found(staff_client, str(throttled.display_id)) == {throttled.subject}
    assert _found(staff_client, throttled.case_id) == {throttled.subject}
    assert _found(staff_client, billing.account.account_id) == {billing.subject}
    assert _found(staff_client, "THROTTLED eu-west") == {throttled.subject}
    assert _found(staff_client, "question rds") == {billing.subject}
    assert _found(staff_client, "throttled billing") == set()
    assert _found(staff_client, "no-such-words") == set()


@pytest.mark.parametrize("search", ["9" * 40, "１２３", "%_", "case-%"])
def test_any_search_text_answers_without_an_error(staff_client, search):
    CaseFactory(subject="Plain case")
    assert _found(staff_client, search) == set()
