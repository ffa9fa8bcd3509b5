"""Probes of the staff site and of uploads: customer text shown to staff is inert, upload limits hold on
every form, and two engineers changing one case at once leave a consistent history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases import services
from cases.attachments import MAX_ATTACHMENT_BYTES
from cases.models import Case, CaseStatus, Communication
from iam.principals import Principal
from tests.cases.conftest import ec2_case_arguments, staff_client, staff_user, support_engineer  # noqa: F401 - fixtures
from tests.factories import AccountFactory

from .conftest import at_once, load_support_catalog, require_postgresql

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_customer_text_shown_to_staff_is_escaped(staff_client):  # noqa: F811
    account = AccountFactory(name="<script>alert(1)</script>")  # the name holds 50 characters
    root = Principal(account=account)
    files = services.add_attachments_to_set(root, [(f"log{XSS}.txt", b"hello")])
    case = services.create_case(root, **ec2_case_arguments(subject=f"Help {XSS}", communication_body=f"Body {XSS}",
                                                           attachment_set_id=files.attachment_set_id))
    services.add_communication_to_case(root, case.case_id, f"More {XSS}")
    for path in ("/staff/cases/case/", f"/staff/cases/case/{case.pk}/change/", "/staff/accounts/account/",
                 f"/staff/accounts/account/{account.pk}/change/"):
        page = staff_client.get(path).content.decode()
        assert "<script>alert(" not in page and "<img src=x onerror" not in page, path


@pytest.mark.django_db
def test_replies_refuse_more_than_three_files_and_files_of_five_megabytes(root_client, account):
    case = services.create_case(Principal(account=account), **ec2_case_arguments())
    url = f"/support/cases/{case.display_id}/reply/"
    four = [SimpleUploadedFile(f"{n}.txt", b"log") for n in range(4)]
    assert "at most 3 attachments" in root_client.post(url, {"description": "logs", "attachments": four}).content.decode()
    big = SimpleUploadedFile("dump.txt", b"a" * MAX_ATTACHMENT_BYTES)
    assert "less than 5 MB" in root_client.post(url, {"description": "dump", "attachments": [big]}).content.decode()
    assert Communication.objects.filter(case=case).count() == 1  # only the case's first message


@pytest.mark.django_db(transaction=True)
def test_two_engineers_changing_one_case_at_once_keep_a_consistent_history(django_user_model):
    require_postgresql()
    load_support_catalog()
    case = services.create_case(Principal(account=AccountFactory()), **ec2_case_arguments())
    engineers = [django_user_model.objects.create_user(f"eng{n}", is_staff=True, is_superuser=True) for n in range(2)]
    url = f"/staff/cases/case/{case.pk}/change/"

    def change(engineer, status):
        client = Client()
        client.force_login(engineer)
        for _ in range(3):
            client.post(url, {"action": "status", "status": status})
            client.post(url, {"action": "reply", "body": f"from {engineer.username}", "next_status": status})

    statuses = [CaseStatus.PENDING_CUSTOMER_ACTION, CaseStatus.WORK_IN_PROGRESS]
    at_once(*[lambda pair=pair: change(*pair) for pair in zip(engineers, statuses)])
    case = Case.objects.get(pk=case.pk)
    steps = list(case.transitions.values_list("from_status", "to_status"))
    assert all(earlier[1] == later[0] for earlier, later in zip(steps, steps[1:])), steps
    assert not steps or steps[-1][1] == case.status
