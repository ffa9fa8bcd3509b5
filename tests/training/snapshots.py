"""What a trainee can see of an account's state, to compare before and after a reset."""

from accounts.models import Account, AlternateContact, ContactInformation, RegionOptIn
from iam.models import IAMUser, Policy


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
        "policies": sorted(Policy.objects.filter(account=account).values_list("name", "description")),
        "attachments": sorted(
            (user.name, policy.name)
            for user in IAMUser.objects.filter(account=account)
            for policy in user.attached_policies.all()
        ),
        "contacts": sorted(
            AlternateContact.objects.filter(account=account).values_list("contact_type", "name", "email_address")
        ),
        "contact_information": list(
            ContactInformation.objects.filter(account=account).values_list("full_name", "city", "country_code")
        ),
        "regions": sorted(RegionOptIn.objects.filter(account=account).values_list("region_name", "status")),
    }
