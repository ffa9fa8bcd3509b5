"""What a trainee can see of an account's state, to compare before and after a reset.

Generated identifiers (case IDs, user IDs, access key IDs) and timestamps differ by design between two seedings;
everything a trainee reads on the pages is compared.
"""

from accounts.models import Account, AlternateContact, ContactInformation, RegionOptIn
from advisor.models import CheckState, NotificationRule
from cases.models import Case
from events.models import Event
from iam.models import AccessKey, IAMGroup, IAMUser, MFADevice, PasswordPolicy, Policy, Role


def account_state(account_id: str) -> dict:
    account = Account.objects.get(account_id=account_id)
    return {
        "account": (
            account.account_id,
            account.canonical_user_id,
            account.name,
            account.root_email,
            account.root_password,
            account.support_plan,
            account.status,
        ),
        "users": sorted(
            (user.name, user.path, user.has_console_password, user.enabled)
            for user in IAMUser.objects.filter(account=account)
        ),
        "groups": sorted(
            (group.name, group.path, tuple(sorted(group.members.values_list("name", flat=True))))
            for group in IAMGroup.objects.filter(account=account)
        ),
        "roles": sorted(Role.objects.filter(account=account).values_list("name", "description", "max_session_duration")),
        "policies": sorted(Policy.objects.filter(account=account).values_list("name", "description")),
        "attachments": sorted(
            (identity.name, policy.name)
            for model in (IAMUser, IAMGroup, Role)
            for identity in model.objects.filter(account=account)
            for policy in identity.attached_policies.all()
        ),
        "credentials": (
            MFADevice.objects.filter(account=account).count(),
            AccessKey.objects.filter(account=account).count(),
            PasswordPolicy.objects.filter(account=account).exists(),
        ),
        "contacts": sorted(
            AlternateContact.objects.filter(account=account).values_list("contact_type", "name", "email_address")
        ),
        "contact_information": list(
            ContactInformation.objects.filter(account=account).values_list("full_name", "city", "country_code")
        ),
        "regions": sorted(RegionOptIn.objects.filter(account=account).values_list("region_name", "status")),
        "cases": sorted(
            (case.subject, case.case_type, case.severity.code, case.status, case.communications.count())
            for case in Case.objects.filter(account=account).select_related("severity")
        ),
        "advisor": sorted(
            CheckState.objects.filter(account=account).values_list("check_id", "status", "resources_flagged")
        ),
        "advisor_rules": sorted(NotificationRule.objects.filter(account=account).values_list("check_id", "status", "recipient")),
        "events": sorted(Event.objects.filter(account=account).values_list("event_name", "user_name")),
    }
