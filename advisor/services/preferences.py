"""The Preferences page: enabling and disabling Trusted Advisor, notification rules, the weekly summary."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from iam import selectors as iam_selectors
from iam.authorization import authorize, is_allowed
from iam.principals import Principal
from iam.services import TRUSTED_ADVISOR_ROLE, create_service_linked_role, set_trusted_advisor_enabled

from .. import selectors
from ..exceptions import InvalidParameterValue, ServiceLinkedRoleMissing
from ..models import AdvisorPreferences, CheckStatus, NotificationRule
from .access import ACTIONS, Via, admit


def trusted_advisor_role_exists(account) -> bool:
    role = iam_selectors.find_role(account, TRUSTED_ADVISOR_ROLE)
    return role is not None and role.is_service_linked


@transaction.atomic
def disable_trusted_advisor(principal: Principal) -> None:
    """"When you disable Trusted Advisor, you disable all service features"; only then may IAM
    delete AWSServiceRoleForTrustedAdvisor."""
    authorize(principal, ACTIONS["SetAccountAccess"][Via.CONSOLE])
    set_trusted_advisor_enabled(principal.account, False)


@transaction.atomic
def enable_trusted_advisor(principal: Principal) -> None:
    """"You can re-enable Trusted Advisor only after installing the AWSServiceRoleForTrustedAdvisor
    in the account through IAM." (AWS Support User Guide)"""
    # Disabled Trusted Advisor refuses everything else, so only IAM's answer is asked here.
    authorize(principal, ACTIONS["SetAccountAccess"][Via.CONSOLE])
    if not trusted_advisor_role_exists(principal.account):
        raise ServiceLinkedRoleMissing(
            f"The service-linked role {TRUSTED_ADVISOR_ROLE} was not found in this account. Create it in IAM "
            "(service trustedadvisor.amazonaws.com), then enable Trusted Advisor."
        )
    set_trusted_advisor_enabled(principal.account, True)


@transaction.atomic
def recreate_role_and_enable(principal: Principal) -> bool:
    """The console's "Enable Trusted Advisor Role": create AWSServiceRoleForTrustedAdvisor again when it was deleted
    (needs iam:CreateServiceLinkedRole, as the AWS Support User Guide says), then enable. True when it re-created."""
    authorize(principal, ACTIONS["SetAccountAccess"][Via.CONSOLE])
    recreated = False
    if not trusted_advisor_role_exists(principal.account):
        service = "trustedadvisor.amazonaws.com"
        resource = f"arn:aws:iam::{principal.account.account_id}:role/aws-service-role/{service}/{TRUSTED_ADVISOR_ROLE}"
        if not is_allowed(principal, "iam:CreateServiceLinkedRole", resource, {"iam:AWSServiceName": service}):
            raise ServiceLinkedRoleMissing(
                f"The service-linked role {TRUSTED_ADVISOR_ROLE} was not found in this account, and creating it needs "
                "iam:CreateServiceLinkedRole. Ask an administrator to enable Trusted Advisor."
            )
        create_service_linked_role(principal.account, service)
        recreated = True
    enable_trusted_advisor(principal)
    return recreated


def preferences_of(account) -> AdvisorPreferences:
    return AdvisorPreferences.objects.get_or_create(account=account)[0]


@transaction.atomic
def set_weekly_summary_recipient(principal: Principal, recipient: str) -> AdvisorPreferences:
    """An empty recipient stops the weekly summary."""
    admit(principal, "UpdateNotificationPreferences", Via.CONSOLE)
    recipient = recipient.strip()
    if recipient:
        _validated_email(recipient)
    preferences = preferences_of(principal.account)
    preferences.weekly_summary_recipient = recipient
    preferences.save(update_fields=["weekly_summary_recipient"])
    return preferences


def _validated_email(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError as error:
        raise InvalidParameterValue(f"{address!r} is not a valid email address.") from error
    return address


@transaction.atomic
def add_notification_rule(principal: Principal, *, check_id: str, status: str, recipient: str) -> NotificationRule:
    """Email `recipient` whenever a refresh changes the check's status (any check when
    check_id is empty) to `status`."""
    admit(principal, "UpdateNotificationPreferences", Via.CONSOLE)
    if check_id:
        selectors.available_check(principal.account, check_id)
    if status not in CheckStatus.values:
        raise InvalidParameterValue(f"The status {status!r} is not one of {', '.join(CheckStatus.values)}.")
    try:
        with transaction.atomic():
            return NotificationRule.objects.create(
                account=principal.account, check_id=check_id, status=status, recipient=_validated_email(recipient.strip())
            )
    except IntegrityError as error:
        raise InvalidParameterValue("An identical notification rule already exists.") from error


@transaction.atomic
def delete_notification_rule(principal: Principal, rule_id: int) -> None:
    admit(principal, "UpdateNotificationPreferences", Via.CONSOLE)
    deleted, _ = NotificationRule.objects.filter(account=principal.account, pk=rule_id).delete()
    if not deleted:
        raise InvalidParameterValue(f"No notification rule {rule_id} in this account.")
