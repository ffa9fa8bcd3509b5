"""A page of results costs the same number of queries however many rows it holds (no N+1 behind the wire)."""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.services import add_attachments_to_set, add_communication_to_case, create_case
from iam.principals import Principal
from iam.services import create_access_key, create_group, create_role, create_virtual_mfa_device
from tests.factories import IAMUserFactory, PolicyFactory

from .wire import signed_headers

pytestmark = pytest.mark.django_db
TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def call(account):
    """call(service, body, headers, path="") -> the response, served in this thread so its queries can be counted."""
    key, secret = create_access_key(account)
    client = Client()

    def send(service, body: bytes, headers: dict, path: str = ""):
        url = f"http://testserver/api/{service}/{path}"
        signed = signed_headers(url, service, key.access_key_id, secret, body, headers)
        meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in signed.items() if name != "Content-Type"}
        response = client.generic("POST", f"/api/{service}/{path}", body, content_type=headers["Content-Type"],
                                  HTTP_HOST="testserver", **meta)
        assert response.status_code == 200, response.content
        return response

    return send


def iam(action: str, **params):
    return "iam", urlencode({"Action": action, "Version": "2010-05-08", **params}).encode(), {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def support(operation: str, **params):
    return "support", json.dumps(params).encode(), {
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AWSSupport_20130415.{operation}"}


def queries(send, request) -> int:
    with CaptureQueriesContext(connection) as captured:
        send(*request)
    return len(captured)


def _users(account, count):
    for _ in range(count):
        user = IAMUserFactory(account=account, tags={"team": "blue"})
        create_virtual_mfa_device(account, user)


def _groups(account, count):
    for _ in range(count):
        create_group(account, f"group-{account.iam_groups.count()}")


def _roles(account, count):
    for _ in range(count):
        create_role(account, f"role-{account.iam_roles.count()}", TRUST)


def _policies(account, count):
    PolicyFactory.create_batch(count, account=account)


def _cases(account, count):
    root = Principal(account=account)
    for _ in range(count):
        attachments = add_attachments_to_set(root, [("a.png", PNG)])
        case = create_case(root, subject="s", communication_body="b", service_code="general-info",
                           category_code="using-aws", severity_code="low")
        add_communication_to_case(root, case.case_id, "more", attachment_set_id=attachments.attachment_set_id)


@pytest.mark.parametrize("grow, request_", [
    (_users, iam("ListUsers")),
    (_users, iam("ListVirtualMFADevices")),
    (_groups, iam("ListGroups")),
    (_roles, iam("ListRoles")),
    (_policies, iam("ListPolicies", Scope="Local")),
    (_cases, support("DescribeCases")),
])
def test_a_page_costs_the_same_queries_for_3_or_6_rows(account, call, grow, request_):
    grow(account, 3)
    few = queries(call, request_)
    assert few > 3  # authentication, the listing and the event are all counted
    grow(account, 3)
    assert queries(call, request_) == few


def test_a_page_of_communications_costs_the_same_queries_for_any_thread(account, call):
    _cases(account, 1)
    case = account.support_cases.get()
    request_ = support("DescribeCommunications", caseId=case.case_id)
    few = queries(call, request_)
    assert few > 3  # authentication, the listing and the event are all counted
    root = Principal(account=account)
    for _ in range(3):
        attachments = add_attachments_to_set(root, [("b.png", PNG)])
        add_communication_to_case(root, case.case_id, "again", attachment_set_id=attachments.attachment_set_id)
    assert queries(call, request_) == few
