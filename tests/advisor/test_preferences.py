"""Disabling and enabling Trusted Advisor with its service-linked role; notifications and the weekly summary."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SupportPlan
from advisor import services
from advisor.exceptions import InvalidParameterValue, ServiceLinkedRoleMissing
from advisor.models import CheckState, NotificationRule
from events.models import Event
from iam.exceptions import DeleteConflict
from iam.principals import Principal
from iam.selectors import find_role
from iam.services import TRUSTED_ADVISOR_ROLE, create_access_key, create_service_linked_roles, delete_role, trusted_advisor_enabled
from tests.factories import allow

pytestmark = pytest.mark.django_db

ROOT_KEYS, IAM_USE = "Ro0tAkEy01", "zXCkfM1nI3"


def test_the_role_can_be_deleted_only_while_trusted_advisor_is_disabled(account, root):
    role = find_role(account, TRUSTED_ADVISOR_ROLE)
    with pytest.raises(DeleteConflict):
        delete_role(role, force=True)
    services.disable_trusted_advisor(root)
    delete_role(role, force=True)
    assert find_role(account, TRUSTED_ADVISOR_ROLE) is None


def test_enabling_needs_the_service_linked_role(account, root):
    services.disable_trusted_advisor(root)
    delete_role(find_role(account, TRUSTED_ADVISOR_ROLE), force=True)
    with pytest.raises(ServiceLinkedRoleMissing) as error:
        services.enable_trusted_advisor(root)
    assert TRUSTED_ADVISOR_ROLE in error.value.message
    assert not trusted_advisor_enabled(account)
    create_service_linked_roles(account)
    services.enable_trusted_advisor(root)
    assert trusted_advisor_enabled(account)
    assert services.describe_checks(root)["checks"]


def test_console_disable_then_enable(account, root_client):
    response = root_client.post("/trusted-advisor/preferences/disable/", follow=True)
    assert "Disabled Trusted Advisor" in response.content.decode()
    assert not trusted_advisor_enabled(account)
    response = root_client.post("/trusted-advisor/preferences/enable/", follow=True)
    assert "Trusted Advisor recommendations" in response.content.decode()


def test_console_enable_recreates_the_role_first(account, root, root_client):
    """"Enable Trusted Advisor Role" creates AWSServiceRoleForTrustedAdvisor again, then enables (Support guide)."""
    services.disable_trusted_advisor(root)
    delete_role(find_role(account, TRUSTED_ADVISOR_ROLE), force=True)
    page = root_client.post("/trusted-advisor/preferences/enable/", follow=True).content.decode()
    assert "Trusted Advisor recommendations" in page
    assert find_role(account, TRUSTED_ADVISOR_ROLE).is_service_linked and trusted_advisor_enabled(account)


def test_console_enable_without_the_role_or_the_right_to_create_it_keeps_the_banner(account, root, user_client):
    services.disable_trusted_advisor(root)
    delete_role(find_role(account, TRUSTED_ADVISOR_ROLE), force=True)
    client = user_client(account, allow("trustedadvisor:*"))
    page = client.post("/trusted-advisor/preferences/enable/", follow=True).content.decode()
    assert "Disabled Trusted Advisor" in page and "iam:CreateServiceLinkedRole" in page
    assert find_role(account, TRUSTED_ADVISOR_ROLE) is None and not trusted_advisor_enabled(account)


def test_disabling_needs_set_account_access(account, user_client):
    client = user_client(account, allow("trustedadvisor:Describe*"))
    assert client.post("/trusted-advisor/preferences/disable/").status_code == 403
    assert trusted_advisor_enabled(account)
    page = client.get("/trusted-advisor/preferences/").content.decode()
    assert "Disable Trusted Advisor" not in page and "Create rule" not in page


def test_a_rule_emails_when_a_refresh_changes_the_status_to_its_status(account, root, refresh_now):
    services.add_notification_rule(root, check_id=ROOT_KEYS, status="error", recipient="secops@example.com")
    services.add_notification_rule(root, check_id="", status="ok", recipient="ops@example.com")
    start = timezone.now()
    refresh_now(root, ROOT_KEYS, now=start)  # first result: ok
    assert [message.to for message in mail.outbox] == [["ops@example.com"]]
    create_access_key(account)
    refresh_now(root, ROOT_KEYS, now=start + timedelta(minutes=5))  # ok → error
    assert mail.outbox[-1].to == ["secops@example.com"]
    assert "Root User Access Keys is now Action recommended" in mail.outbox[-1].subject
    refresh_now(root, ROOT_KEYS, now=start + timedelta(minutes=10))  # still error: no news
    assert len(mail.outbox) == 2


def test_rules_are_validated(root):
    with pytest.raises(InvalidParameterValue):
        services.add_notification_rule(root, check_id="", status="purple", recipient="a@example.com")
    with pytest.raises(InvalidParameterValue):
        services.add_notification_rule(root, check_id="", status="error", recipient="not-an-email")
    services.add_notification_rule(root, check_id="", status="error", recipient="a@example.com")
    with pytest.raises(InvalidParameterValue):
        services.add_notification_rule(root, check_id="", status="error", recipient="a@example.com")


def test_rule_form_shows_errors_and_keeps_input(account, root_client):
    response = root_client.post("/trusted-advisor/preferences/rules/", {"check_id": IAM_USE, "status": "error", "recipient": "nope"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page and 'value="nope"' in page
    response = root_client.post("/trusted-advisor/preferences/rules/", {"check_id": IAM_USE, "status": "error", "recipient": "x@example.com"}, follow=True)
    assert "IAM Use" in response.content.decode() and "x@example.com" in response.content.decode()


def test_weekly_summary_is_sent_once_a_week(account, root, refresh_now):
    services.set_weekly_summary_recipient(root, "team@example.com")
    create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    now = timezone.now()
    assert services.send_weekly_summaries(now) == 1
    assert mail.outbox[0].to == ["team@example.com"]
    assert "Root User Access Keys: Action recommended, 1 flagged" in mail.outbox[0].body
    assert services.send_weekly_summaries(now + timedelta(days=3)) == 0
    assert services.send_weekly_summaries(now + timedelta(days=7)) == 1


def test_no_summary_or_notification_while_disabled(account, root):
    services.set_weekly_summary_recipient(root, "team@example.com")
    services.disable_trusted_advisor(root)
    assert services.send_weekly_summaries() == 0
    assert not CheckState.objects.exists()


def test_console_saves_and_clears_the_weekly_summary_recipient(account, root_client):
    page = root_client.post("/trusted-advisor/preferences/weekly-summary/", {"recipient": "team@example.com"}, follow=True).content.decode()
    assert "Weekly summary preference saved." in page and 'value="team@example.com"' in page
    assert services.preferences_of(account).weekly_summary_recipient == "team@example.com"
    invalid = root_client.post("/trusted-advisor/preferences/weekly-summary/", {"recipient": "nope"})
    assert "Enter a valid email address." in invalid.content.decode()
    assert services.preferences_of(account).weekly_summary_recipient == "team@example.com"
    root_client.post("/trusted-advisor/preferences/weekly-summary/", {"recipient": ""})
    assert services.preferences_of(account).weekly_summary_recipient == ""
    assert services.send_weekly_summaries() == 0


def test_console_deletes_a_rule_of_its_own_account_only(account, other_account, root, root_client):
    rule = services.add_notification_rule(root, check_id=ROOT_KEYS, status="error", recipient="secops@example.com")
    others = services.add_notification_rule(
        Principal(account=other_account), check_id="", status="error", recipient="them@example.com"
    )
    assert root_client.post(f"/trusted-advisor/preferences/rules/{others.pk}/delete/").status_code == 404
    page = root_client.post(f"/trusted-advisor/preferences/rules/{rule.pk}/delete/", follow=True).content.decode()
    assert "Notification rule deleted." in page and "secops@example.com" not in page and "No notification rules." in page
    assert list(NotificationRule.objects.values_list("recipient", flat=True)) == ["them@example.com"]


def test_preferences_need_describe_notification_preferences(account, user_client):
    assert user_client(account, allow("trustedadvisor:DescribeChecks")).get("/trusted-advisor/preferences/").status_code == 403
    editor = user_client(account, allow("trustedadvisor:*NotificationPreferences"))
    page = editor.get("/trusted-advisor/preferences/").content.decode()
    assert "Create rule" in page and "Disable Trusted Advisor" not in page


def test_preferences_page_query_count_does_not_grow_with_rules(account, root, root_client):
    root_client.get("/trusted-advisor/preferences/")  # the first visit stores the account's preferences
    with CaptureQueriesContext(connection) as few:
        root_client.get("/trusted-advisor/preferences/")
    for index in range(5):
        services.add_notification_rule(root, check_id=ROOT_KEYS, status="error", recipient=f"r{index}@example.com")
    with CaptureQueriesContext(connection) as many:
        page = root_client.get("/trusted-advisor/preferences/").content.decode()
    assert "r4@example.com" in page and "Root User Access Keys" in page
    assert len(many) == len(few)


def test_console_changes_are_in_the_event_history(account, root, root_client):
    root_client.post("/trusted-advisor/preferences/weekly-summary/", {"recipient": "team@example.com"})
    root_client.post("/trusted-advisor/preferences/disable/")
    delete_role(find_role(account, TRUSTED_ADVISOR_ROLE), force=True)
    root_client.post("/trusted-advisor/preferences/enable/")  # the role is created again first
    recorded = list(
        Event.objects.filter(account=account, event_source="trustedadvisor.amazonaws.com")
        .order_by("event_time", "pk")
        .values_list("event_name", "error_code")
    )
    assert recorded == [
        ("UpdateNotificationPreferences", ""),
        ("SetAccountAccess", ""),
        ("SetAccountAccess", ""),
    ]


def test_a_rule_keeps_its_check_name_after_a_downgrade(account, root, root_client):
    services.add_notification_rule(root, check_id="DqdJqYeRm5", status="warning", recipient="keys@example.com")
    account.support_plan = SupportPlan.BASIC
    account.save()
    page = root_client.get("/trusted-advisor/preferences/").content.decode()
    assert "<td>IAM Access Key Rotation</td>" in page and "<td>Any check</td>" not in page
