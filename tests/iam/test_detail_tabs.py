"""User, group and role pages in tabs (Permissions, Groups, Tags, Security credentials, Access Advisor)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.services import record_event
from iam.principals import Principal
from iam.models import Policy
from iam.services import attach_policy, create_group, create_role, create_user
from tests.factories import AccountFactory, allow

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def visible_panels(html: str) -> list[str]:
    """The tab the page opens on (templates/includes/tab_list.html; static/js/console.js hides the others)."""
    return re.findall(r'<button[^>]*id="([a-z-]+)-tab"[^>]*aria-selected="true"', html)


def test_the_user_page_opens_on_permissions_and_each_tab_is_a_link(account, root_client):
    create_user(account, "ana")
    page = root_client.get("/iam/users/ana/").content.decode()
    assert visible_panels(page) == ["permissions"]
    for tab in ("groups", "tags", "credentials", "access-advisor"):
        assert f'aria-controls="{tab}"' in page
        assert visible_panels(root_client.get(f"/iam/users/ana/?tab={tab}").content.decode()) == [tab]
    assert visible_panels(root_client.get("/iam/users/ana/?tab=<script>").content.decode()) == ["permissions"]
    assert 'role="tabpanel" id="credentials"' in page  # every panel is in the page, for readers without script


def test_role_and_group_tabs(account, root_client):
    create_role(account, "ops", TRUST)
    create_group(account, "devs")
    assert visible_panels(root_client.get("/iam/roles/ops/?tab=trust").content.decode()) == ["trust"]
    assert visible_panels(root_client.get("/iam/groups/devs/").content.decode()) == ["users"]
    assert visible_panels(root_client.get("/iam/groups/devs/?tab=permissions").content.decode()) == ["permissions"]


def test_changes_return_to_their_tab(account, root_client):
    create_user(account, "bo")
    create_group(account, "devs")
    assert root_client.post("/iam/users/bo/groups/", {"group": "devs"})["Location"] == "/iam/users/bo/?tab=groups"
    assert root_client.post("/iam/users/bo/access-keys/create/")["Location"].startswith("/iam/users/bo/")
    assert root_client.post("/iam/groups/devs/members/", {"remove": "bo"})["Location"] == "/iam/groups/devs/?tab=users"


def test_access_advisor_lists_the_services_this_user_called(account, root_client):
    user = create_user(account, "cy")
    attach_policy(user, Policy.objects.get(account=None, name="AdministratorAccess"))
    other = create_user(account, "di")
    now = timezone.now()
    record_event(Principal(account=account, user=user), event_source="support.amazonaws.com", event_name="DescribeCases", now=now - timedelta(hours=1))
    record_event(Principal(account=account, user=user), event_source="support.amazonaws.com", event_name="CreateCase", now=now)
    record_event(Principal(account=account, user=user), event_source="iam.amazonaws.com", event_name="ListUsers", now=now - timedelta(days=2))
    record_event(Principal(account=account, user=other), event_source="account.amazonaws.com", event_name="GetContactInformation")
    stranger = AccountFactory()
    record_event(Principal(account=stranger, user=create_user(stranger, "cy")), event_source="account.amazonaws.com", event_name="GetContactInformation")
    response = root_client.get("/iam/users/cy/?tab=access-advisor")
    last = {service.namespace: service.last_authenticated for service in response.context["access_advisor"]["services"]}
    assert abs((last["support"] - now).total_seconds()) < 1 and last["iam"] < last["support"]
    assert last["account"] is None  # allowed, but only another user (and another account's cy) called it
    assert "Not accessed in the tracking period" in response.content.decode()


def test_access_advisor_of_a_role_counts_its_sessions(account, root_client):
    role = create_role(account, "deployer", TRUST)
    attach_policy(role, Policy.objects.get(account=None, name="IAMReadOnlyAccess"))
    session = Principal(account=account, role=role, role_session_name="ci")
    record_event(session, event_source="iam.amazonaws.com", event_name="GetRole")
    services = root_client.get("/iam/roles/deployer/?tab=access-advisor").context["access_advisor"]["services"]
    assert [(service.namespace, service.last_authenticated is not None) for service in services] == [("iam", True)]


def test_access_advisor_needs_its_permission_and_says_so(account, user_client):
    create_user(account, "ed")
    client = user_client(account, allow("iam:GetUser"))
    page = client.get("/iam/users/ed/?tab=access-advisor").content.decode()
    assert "needs <span class=\"mono\">iam:GenerateServiceLastAccessedDetails</span>" in page
    empty = user_client(account, allow("iam:GetUser"), allow("iam:GenerateServiceLastAccessedDetails"))
    assert "No policy of this user allows any service." in empty.get("/iam/users/ed/?tab=access-advisor").content.decode()


def test_user_page_query_count_does_not_grow_with_events(account, root_client):
    user = create_user(account, "flo")
    attach_policy(user, Policy.objects.get(account=None, name="AdministratorAccess"))
    record_event(Principal(account=account, user=user), event_source="iam.amazonaws.com", event_name="ListUsers")
    with CaptureQueriesContext(connection) as few:
        root_client.get("/iam/users/flo/?tab=access-advisor")
    for number in range(20):
        record_event(Principal(account=account, user=user), event_source=f"s{number}.amazonaws.com", event_name="X")
    with CaptureQueriesContext(connection) as many:
        root_client.get("/iam/users/flo/?tab=access-advisor")
    assert len(many) == len(few)


def test_another_accounts_identities_are_not_found(account, root_client):
    stranger = AccountFactory()
    create_user(stranger, "gil")
    create_role(stranger, "theirs", TRUST)
    assert root_client.get("/iam/users/gil/?tab=access-advisor").status_code == 404
    assert root_client.get("/iam/roles/theirs/?tab=trust").status_code == 404


def test_the_security_credentials_tab_lists_ssh_keys_certificates_and_service_credentials(account, root_client,
                                                                                          user_client):
    from iam.services.service_credentials import create_service_specific_credential
    from iam.services.signing_certificates import upload_signing_certificate
    from iam.services.ssh_keys import upload_ssh_public_key
    from tests.credentials import certificate, ed25519_ssh_key

    ana = create_user(account, "ana")
    key = upload_ssh_public_key(ana, ed25519_ssh_key())
    signing = upload_signing_certificate(account, ana, certificate()[0])
    credential, _ = create_service_specific_credential(ana, "bedrock.amazonaws.com", age_days=30)
    page = root_client.get("/iam/users/ana/?tab=credentials").content.decode()
    for shown in (key.key_id, signing.certificate_id, credential.credential_id, credential.service_user_name):
        assert shown in page
    root_page = root_client.get("/iam/security-credentials/").content.decode()
    assert "X.509 signing certificates" in root_page and signing.certificate_id not in root_page
    assert "SSH public keys" not in root_page  # the root user has none

    reader = user_client(account, allow("iam:GetUser"), name="reader")
    limited = reader.get("/iam/users/ana/?tab=credentials").content.decode()
    assert key.key_id not in limited and credential.credential_id not in limited
