"""Finding 7: a form sent twice with the same one-time token makes one object; the repeat sees the first's result."""

import pytest
from django.core import mail

from cases import services
from cases.models import Case, Communication
from iam.models import AccessKey, IAMUser
from iam.principals import Principal
from portal.submissions import FIELD
from tests.cases.conftest import ec2_case_arguments, root, staff_client, staff_user, support_engineer  # noqa: F401 - fixtures
from tests.cases.test_views import create_form
from tests.conftest import console_client_for
from tests.factories import AccountFactory

from .conftest import at_once, load_support_catalog, require_postgresql

TOKEN = {FIELD: "one-submission-token-of-this-form"}


def token_in(page: str) -> str:
    marker = f'name="{FIELD}" value="'
    assert marker in page, "the form carries no one-time token"
    return page.split(marker, 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_create_case_sent_twice_makes_one_case_and_one_set_of_emails(root_client, account, django_capture_on_commit_callbacks):
    token = token_in(root_client.get("/support/cases/new/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        first = root_client.post("/support/cases/new/", {**create_form(), FIELD: token})
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = root_client.post("/support/cases/new/", {**create_form(), FIELD: token})
    assert Case.objects.filter(account=account).count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_a_refused_submission_can_be_sent_again_with_its_token(root_client, account):
    refused = root_client.post("/support/cases/new/", {**create_form(subject=""), **TOKEN})
    assert refused.status_code == 200
    assert root_client.post("/support/cases/new/", {**create_form(), **TOKEN}).status_code == 302
    assert Case.objects.filter(account=account).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_reply_sent_twice_is_one_communication(root_client, account, htmx):
    case = services.create_case(Principal(account=account), **ec2_case_arguments())
    url = f"/support/cases/{case.display_id}/reply/"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    page = root_client.get(f"/support/cases/{case.display_id}/").content.decode()
    form = {"description": "Here is the log.", FIELD: token_in(page)}
    first = root_client.post(url, form, **headers)
    second = root_client.post(url, form, **headers)
    assert Communication.objects.filter(case=case, body="Here is the log.").count() == 1
    assert first.status_code == second.status_code and first.content == second.content


@pytest.mark.django_db
def test_a_staff_reply_sent_twice_is_one_communication(staff_client, account):  # noqa: F811
    case = services.create_case(Principal(account=account), **ec2_case_arguments())
    url = f"/staff/cases/case/{case.pk}/change/"
    form = {"action": "reply", "body": "Please send the log.", "next_status": "pending-customer-action",
            FIELD: token_in(staff_client.get(url).content.decode())}
    assert staff_client.post(url, form).status_code == 302
    assert staff_client.post(url, form).status_code == 302
    assert Communication.objects.filter(case=case, body="Please send the log.").count() == 1


@pytest.mark.django_db
def test_iam_create_forms_sent_twice_create_once(root_client, account):
    # The create-user wizard creates at its last step (details and permissions only remember answers).
    root_client.post("/iam/users/create/", {"name": "twice", "path": "/"})
    root_client.post("/iam/users/create/permissions/", {})
    form = {"tags": "", FIELD: token_in(root_client.get("/iam/users/create/review/").content.decode())}
    first, second = root_client.post("/iam/users/create/review/", form), root_client.post("/iam/users/create/review/", form)
    assert second.status_code == 302 and second["Location"] == first["Location"]  # not "already exists"
    assert IAMUser.objects.filter(account=account, name="twice").count() == 1
    url = "/iam/root/access-keys/create/"
    key_form = {FIELD: token_in(root_client.get(url).content.decode())}
    root_client.post(url, key_form)
    root_client.post(url, key_form)
    assert AccessKey.objects.filter(account=account, user=None).count() == 1


@pytest.mark.django_db(transaction=True)
def test_create_case_sent_twice_at_once_makes_one_case():
    require_postgresql()
    load_support_catalog()
    account = AccountFactory()
    client = console_client_for(Principal(account=account))
    answers = at_once(*[lambda: client.post("/support/cases/new/", {**create_form(), **TOKEN})] * 2)
    assert Case.objects.filter(account=account).count() == 1
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
