"""Sandbox tools: create the demo account, and reset any account to its starting state."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import Account
from accounts.services import create_account
from cases.staff_roles import SUPPORT_ENGINEERS, ensure_staff_groups

from . import demo


def populate_account(account: Account) -> None:
    """Fill a fresh account with each app's demo data."""
    for dotted_path in settings.SANDBOX_POPULATORS:
        import_string(dotted_path)(account)


def ensure_demo_staff_user():
    """The demo support engineer who signs in to the staff site: staff, not superuser, in the Support engineers group."""
    ensure_staff_groups()
    staff, created = get_user_model().objects.update_or_create(
        username=demo.STAFF_USERNAME, defaults={"is_staff": True, "is_superuser": False}
    )
    if created:
        staff.set_password(demo.STAFF_PASSWORD)
        staff.save()
    staff.groups.add(Group.objects.get(name=SUPPORT_ENGINEERS))
    return staff


@transaction.atomic
def seed_demo() -> tuple[Account, bool]:
    """Create the demo account and staff user once; running it again changes nothing."""
    ensure_demo_staff_user()
    account = Account.objects.filter(account_id=demo.ACCOUNT_ID).first()
    if account is not None:
        return account, False
    account = create_account(
        name=demo.ACCOUNT_NAME,
        root_email=demo.ROOT_EMAIL,
        root_password=demo.ROOT_PASSWORD,
        support_plan=demo.SUPPORT_PLAN,
        account_id=demo.ACCOUNT_ID,
    )
    populate_account(account)
    return account, True


@transaction.atomic
def reset_account(account_id: str, **starting) -> Account:
    """Wipe everything in the account and seed it again, keeping its identity and root sign-in;
    `starting` gives identity fields (name, support_plan) the values to restore instead."""
    account = Account.objects.select_for_update().get(account_id=account_id)
    identity = {
        "account_id": account.account_id,
        "canonical_user_id": account.canonical_user_id,
        "name": account.name,
        "root_email": account.root_email,
        "root_password_hash": account.root_password,
        "support_plan": account.support_plan,
    }
    account.delete()
    fresh = create_account(**{**identity, **starting})
    populate_account(fresh)
    return fresh
