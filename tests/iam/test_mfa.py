"""Virtual MFA with real TOTP codes: enrolment, one-time codes, resync, deactivation, sign-in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from iam.authorization import is_allowed
from iam.exceptions import DeleteConflict, EntityAlreadyExists, InvalidAuthenticationCode
from iam.models import MFADevice, SignInFailure
from iam.principals import Principal
from iam.services import (
    attach_policy,
    create_user,
    create_virtual_mfa_device,
    deactivate_mfa_device,
    delete_virtual_mfa_device,
    enable_mfa_device,
    mfa_device_of,
    remove_mfa_device,
    resync_mfa_device,
    verify_mfa_code,
)
from iam.services.mfa import REUSED_CODE
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, PolicyFactory, allow, policy_document

from .conftest import totp_for

pytestmark = pytest.mark.django_db


def enrolled(account, user=None, now=None):
    """A device enabled with the two codes just before `now`, leaving the current code unused."""
    now = now or timezone.now()
    device = create_virtual_mfa_device(account, user)
    app = totp_for(device)
    enable_mfa_device(device, app.at(now - timedelta(seconds=60)), app.at(now - timedelta(seconds=30)), now=now)
    return MFADevice.objects.get(pk=device.pk), app


def test_activation_needs_two_consecutive_codes(account):
    user = create_user(account, "u")
    device = create_virtual_mfa_device(account, user)
    app, now = totp_for(device), timezone.now()
    with pytest.raises(InvalidAuthenticationCode):
        enable_mfa_device(device, app.at(now), app.at(now + timedelta(seconds=60)), now=now)  # skips one
    with pytest.raises(InvalidAuthenticationCode):
        enable_mfa_device(device, app.at(now), app.at(now), now=now)
    with pytest.raises(InvalidAuthenticationCode):
        enable_mfa_device(device, "123456", "654321", now=now)
    assert not MFADevice.objects.get(pk=device.pk).is_enabled
    enable_mfa_device(device, app.at(now), app.at(now + timedelta(seconds=30)), now=now)
    assert MFADevice.objects.get(pk=device.pk).is_enabled


def test_one_device_per_identity(account):
    user = create_user(account, "u")
    enrolled(account, user)
    with pytest.raises(EntityAlreadyExists):
        create_virtual_mfa_device(account, user)
    enrolled(account)  # the root user has its own
    assert MFADevice.objects.filter(account=account).count() == 2


def test_each_code_is_accepted_once(account):
    now = timezone.now()
    device, app = enrolled(account, create_user(account, "u"), now=now)
    verify_mfa_code(device, app.at(now), now=now)
    with pytest.raises(InvalidAuthenticationCode, match=REUSED_CODE):
        verify_mfa_code(device, app.at(now), now=now)
    # The codes used for activation are spent too.
    with pytest.raises(InvalidAuthenticationCode):
        verify_mfa_code(device, app.at(now - timedelta(seconds=30)), now=now)
    verify_mfa_code(device, app.at(now + timedelta(seconds=30)), now=now + timedelta(seconds=30))


def test_codes_from_far_away_are_refused(account):
    now = timezone.now()
    device, app = enrolled(account, create_user(account, "u"), now=now)
    with pytest.raises(InvalidAuthenticationCode, match="not valid"):
        verify_mfa_code(device, app.at(now + timedelta(minutes=10)), now=now)


def test_resync_follows_a_drifted_device(account):
    now = timezone.now()
    device, app = enrolled(account, create_user(account, "u"), now=now)
    drifted = now + timedelta(minutes=20)  # the phone's clock runs 20 minutes fast
    with pytest.raises(InvalidAuthenticationCode):
        verify_mfa_code(device, app.at(drifted), now=now)
    resync_mfa_device(device, app.at(drifted), app.at(drifted + timedelta(seconds=30)), now=now)
    later = now + timedelta(minutes=2)
    verify_mfa_code(device, app.at(later + timedelta(minutes=20)), now=later)


def test_resync_refuses_codes_that_are_not_consecutive(account):
    now = timezone.now()
    device, app = enrolled(account, create_user(account, "u"), now=now)
    with pytest.raises(InvalidAuthenticationCode):
        resync_mfa_device(device, app.at(now + timedelta(seconds=30)), app.at(now + timedelta(seconds=90)), now=now)
    assert MFADevice.objects.get(pk=device.pk).drift_steps == 0


def test_a_deactivated_device_stays_unassigned_until_deleted(account):
    """As in IAM: DeactivateMFADevice leaves the virtual device, unassigned; only then may it be deleted."""
    user = create_user(account, "u")
    device, _ = enrolled(account, user)
    with pytest.raises(DeleteConflict):
        delete_virtual_mfa_device(device)
    deactivate_mfa_device(device)
    left = MFADevice.objects.get(pk=device.pk)
    assert (left.is_enabled, left.user, left.root) == (False, None, False)
    assert mfa_device_of(account, user) is None  # the user signs in without a code again
    delete_virtual_mfa_device(left)
    assert not MFADevice.objects.filter(pk=device.pk).exists()


def test_the_consoles_remove_deletes_the_device(account):
    device, _ = enrolled(account)
    remove_mfa_device(device)
    assert not MFADevice.objects.filter(pk=device.pk).exists()
    assert create_virtual_mfa_device(account).name == "root-account-mfa-device"  # the name is free again


def sign_in_user(client, account, name):
    return client.post(f"/signin/{account.account_id}/", {"account": account.account_id, "user_name": name, "password": USER_PASSWORD, "as": "iam"})


def test_sign_in_asks_for_the_code_after_the_password(account):
    user = create_user(account, "secure", password=USER_PASSWORD)
    attach_policy(user, PolicyFactory(account=account, document=policy_document(
        allow("iam:*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )))
    device, app = enrolled(account, user)
    client = Client()
    assert sign_in_user(client, account, "secure")["Location"] == "/iam/signin/mfa/"
    assert client.get("/iam/").status_code == 302  # no session before the code
    wrong = client.post("/iam/signin/mfa/", {"code": "000000" if app.now() != "000000" else "111111"})
    assert wrong.status_code == 200 and "not valid" in wrong.content.decode()
    assert SignInFailure.objects.count() == 1
    code = app.now()
    assert client.post("/iam/signin/mfa/", {"code": code})["Location"] == "/"
    # The session knows MFA was used, so aws:MultiFactorAuthPresent conditions hold.
    assert client.get("/iam/").status_code == 200
    replay = Client()
    sign_in_user(replay, account, "secure")
    refused = replay.post("/iam/signin/mfa/", {"code": code})
    assert refused.status_code == 200 and "already been used" in refused.content.decode()


def last_console_sign_in(root_client, name):
    page = root_client.get(f"/iam/users/{name}/").content.decode()
    return page.split("<dt>Last console sign-in</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_last_console_sign_in_waits_for_the_mfa_code(account, root_client):
    user = create_user(account, "secure", password=USER_PASSWORD)
    _, app = enrolled(account, user)
    client = Client()
    assert sign_in_user(client, account, "secure")["Location"] == "/iam/signin/mfa/"
    client.post("/iam/signin/mfa/", {"code": "000000" if app.now() != "000000" else "111111"})
    # The right password without the code is no sign-in.
    assert last_console_sign_in(root_client, "secure") == "Never"
    user.refresh_from_db()
    assert user.password_last_used is None
    signed_in_from = timezone.now()
    assert client.post("/iam/signin/mfa/", {"code": app.now()})["Location"] == "/"
    assert last_console_sign_in(root_client, "secure") != "Never"
    user.refresh_from_db()
    assert user.password_last_used >= signed_in_from


def test_root_sign_in_with_mfa(account):
    _, app = enrolled(account)
    client = Client()
    response = client.post("/signin/", {"email": account.root_email, "password": ROOT_PASSWORD})
    assert response["Location"] == "/iam/signin/mfa/"
    assert client.post("/iam/signin/mfa/", {"code": app.now()})["Location"] == "/"
    assert client.get("/iam/security-credentials/").status_code == 200


def test_mfa_condition_keys_follow_the_principal(account):
    user = create_user(account, "u")
    attach_policy(user, PolicyFactory(account=account, document=policy_document(
        allow("iam:DeleteUser", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})
    )))
    assert not is_allowed(Principal(account=account, user=user), "iam:DeleteUser")
    assert is_allowed(Principal(account=account, user=user, mfa_authenticated_at=timezone.now()), "iam:DeleteUser")
    stale = timezone.now() - timedelta(hours=2)
    assert not is_allowed(Principal(account=account, user=user, mfa_authenticated_at=stale), "iam:DeleteUser")


def test_enrolment_pages_with_real_codes(account, root_client):
    user = create_user(account, "web")
    assert root_client.post("/iam/users/web/mfa/", {"step": "start"}).status_code == 302
    page = root_client.get("/iam/users/web/mfa/")
    assert "<svg" in page.content.decode()
    app = totp_for(MFADevice.objects.get(user=user))
    now = timezone.now()
    bad = root_client.post("/iam/users/web/mfa/", {"step": "activate", "authentication_code_1": "12345", "authentication_code_2": app.now()})
    assert bad.status_code == 200 and "six-digit" in bad.content.decode()
    ok = root_client.post("/iam/users/web/mfa/", {
        "step": "activate", "authentication_code_1": app.at(now - timedelta(seconds=30)), "authentication_code_2": app.at(now),
    })
    assert ok.status_code == 302 and MFADevice.objects.get(user=user).is_enabled
    later = now + timedelta(seconds=30)
    resync = root_client.post("/iam/users/web/mfa/resync/", {"authentication_code_1": app.at(later), "authentication_code_2": app.at(later + timedelta(seconds=30))})
    assert resync.status_code == 302
    assert root_client.post("/iam/users/web/mfa/deactivate/").status_code == 302
    assert not MFADevice.objects.filter(user=user).exists()


def test_only_an_unused_virtual_device_can_be_deleted(account):
    from iam.exceptions import DeleteConflict
    from iam.services.mfa import delete_virtual_mfa_device

    user = create_user(account, "mfa-deletion")
    pending = create_virtual_mfa_device(account, user)
    delete_virtual_mfa_device(pending)
    assert not MFADevice.objects.filter(pk=pending.pk).exists()
    device, _ = enrolled(account, user)
    with pytest.raises(DeleteConflict):
        delete_virtual_mfa_device(device)
    assert MFADevice.objects.get(pk=device.pk).is_enabled


def test_root_user_enrols_through_the_console_and_the_dashboard_notices(account, root_client):
    assert not root_client.get("/iam/").context["recommendations"][0].ok
    root_client.post("/iam/root/mfa/", {"step": "start"})
    app, now = totp_for(MFADevice.objects.get(account=account, user=None)), timezone.now()
    response = root_client.post("/iam/root/mfa/", {
        "step": "activate", "authentication_code_1": app.at(now - timedelta(seconds=30)), "authentication_code_2": app.at(now),
    })
    assert response["Location"] == "/iam/security-credentials/"
    assert "root-account-mfa-device" in root_client.get("/iam/security-credentials/").content.decode()
    assert root_client.get("/iam/").context["recommendations"][0].ok
    # Replaying the activation codes at sign-in fails: each code is accepted once.
    with pytest.raises(InvalidAuthenticationCode, match=REUSED_CODE):
        verify_mfa_code(MFADevice.objects.get(account=account, user=None), app.at(now), now=now)
