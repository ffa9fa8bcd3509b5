import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, AlternateContact, ContactInformation
from cases.staff_roles import SUPPORT_ENGINEERS
from iam.authentication import authenticate_iam_user, authenticate_root
from iam.authorization import is_allowed
from iam.models import IAMUser, Policy
from portal.sandbox import demo
from portal.sandbox.services import seed_demo

pytestmark = pytest.mark.django_db


def snapshot(account_id):
    account = Account.objects.get(account_id=account_id)
    return {
        "account": (account.account_id, account.canonical_user_id, account.name, account.root_email, account.support_plan),
        "users": sorted(IAMUser.objects.filter(account=account).values_list("name", "path")),
        "policies": sorted(Policy.objects.filter(account=account).values_list("name", flat=True)),
        "attachments": sorted((u.name, p.name) for u in IAMUser.objects.filter(account=account) for p in u.attached_policies.all()),
        "contacts": sorted(AlternateContact.objects.filter(account=account).values_list("contact_type", "email_address")),
        "contact_information": ContactInformation.objects.filter(account=account).count(),
    }


def test_seed_creates_a_demo_account_people_can_sign_in_to(capsys):
    call_command("sandbox", "seed")
    output = capsys.readouterr().out
    assert demo.ROOT_EMAIL in output and demo.ROOT_PASSWORD in output and "/signin/123456789012/" in output
    root = authenticate_root(demo.ROOT_EMAIL, demo.ROOT_PASSWORD)
    assert root.account.account_id == demo.ACCOUNT_ID
    for name, password, _ in demo.IAM_USERS:
        assert authenticate_iam_user(demo.ACCOUNT_ID, name, password).user.name == name
    assert ContactInformation.objects.filter(account=root.account).exists()
    assert AlternateContact.objects.filter(account=root.account).count() == 2


def test_seeded_users_have_the_promised_permissions():
    call_command("sandbox", "seed")
    principals = {name: authenticate_iam_user(demo.ACCOUNT_ID, name, password) for name, password, _ in demo.IAM_USERS}
    assert is_allowed(principals["admin"], "iam:CreateUser")
    assert is_allowed(principals["reader"], "support:DescribeCases")
    assert not is_allowed(principals["reader"], "support:CreateCase")
    assert is_allowed(principals["support-agent"], "support:CreateCase")
    assert not is_allowed(principals["support-agent"], "support:ResolveCase")


def test_seed_is_idempotent():
    call_command("sandbox", "seed")
    before = snapshot(demo.ACCOUNT_ID)
    call_command("sandbox", "seed")
    assert snapshot(demo.ACCOUNT_ID) == before
    assert Account.objects.count() == 1


def test_reset_restores_the_starting_state_and_keeps_the_identity():
    call_command("sandbox", "seed")
    before = snapshot(demo.ACCOUNT_ID)
    account = Account.objects.get(account_id=demo.ACCOUNT_ID)
    IAMUser.objects.filter(account=account, name="admin").delete()
    IAMUser.objects.create(account=account, name="intruder")
    AlternateContact.objects.filter(account=account).delete()

    call_command("sandbox", "reset", "--account", demo.ACCOUNT_ID)

    assert snapshot(demo.ACCOUNT_ID) == before
    assert authenticate_root(demo.ROOT_EMAIL, demo.ROOT_PASSWORD)


def test_reset_touches_no_other_account(other_account):
    call_command("sandbox", "seed")
    IAMUser.objects.create(account=other_account, name="keep-me")
    call_command("sandbox", "reset", "--account", demo.ACCOUNT_ID)
    assert IAMUser.objects.filter(account=other_account, name="keep-me").exists()


def _reset_queries_with(extra_users: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iam.services import create_group, create_user, put_inline_policy
    from portal.sandbox.services import reset_account
    from tests.factories import allow, policy_document

    account, _ = seed_demo()
    group = create_group(account, f"group-{extra_users}")
    for number in range(extra_users):
        user = create_user(account, f"extra-{number}")
        put_inline_policy(user, "own", policy_document(allow("s3:GetObject")))
        group.members.add(user)
    with CaptureQueriesContext(connection) as captured:
        reset_account(account.account_id)
    return len(captured)


def test_resetting_a_sandbox_costs_the_same_queries_whatever_its_number_of_iam_users():
    assert _reset_queries_with(2) == _reset_queries_with(20)


def test_reset_of_an_unknown_account_is_refused():
    with pytest.raises(CommandError, match="No account with ID 000000000000"):
        call_command("sandbox", "reset", "--account", "000000000000")


def test_seed_creates_the_demo_support_engineer(django_user_model):
    call_command("sandbox", "seed")
    engineer = django_user_model.objects.get(username=demo.STAFF_USERNAME)
    assert engineer.is_staff and engineer.check_password(demo.STAFF_PASSWORD)
    assert not engineer.is_superuser and [group.name for group in engineer.groups.all()] == [SUPPORT_ENGINEERS]
    assert engineer.has_perm("cases.change_case") and not engineer.has_perm("auth.change_user")


def test_seeding_again_turns_an_old_superuser_demo_engineer_into_a_support_engineer(django_user_model):
    django_user_model.objects.create_superuser(demo.STAFF_USERNAME, password=demo.STAFF_PASSWORD)
    call_command("sandbox", "seed")
    call_command("sandbox", "seed")
    engineer = django_user_model.objects.get(username=demo.STAFF_USERNAME)
    assert engineer.is_staff and not engineer.is_superuser and engineer.check_password(demo.STAFF_PASSWORD)
    assert engineer.groups.get().name == SUPPORT_ENGINEERS


@pytest.mark.django_db(transaction=True)
def test_seeding_mails_nobody_at_the_fictitious_demo_addresses(mailoutbox):
    call_command("sandbox", "seed")
    assert Account.objects.filter(account_id=demo.ACCOUNT_ID).exists()
    assert mailoutbox == []
