import pytest

from iam.exceptions import LimitExceeded
from iam.models import AccessKey
from iam.selectors import access_key_with_secret
from iam.services import create_access_key
from tests.factories import IAMUserFactory

pytestmark = pytest.mark.django_db


def test_a_new_key_has_aws_shaped_ids_and_its_secret_is_stored_encrypted(account):
    key, secret = create_access_key(account, IAMUserFactory(account=account))
    assert key.access_key_id.startswith("AKIA") and len(key.access_key_id) == 20
    assert len(secret) == 40
    assert secret not in AccessKey.objects.get(pk=key.pk).encrypted_secret
    assert access_key_with_secret(key.access_key_id)[1] == secret


def test_at_most_two_keys_per_user_and_for_root(account):
    user = IAMUserFactory(account=account)
    for owner in (user, None):
        create_access_key(account, owner)
        create_access_key(account, owner)
        with pytest.raises(LimitExceeded, match="Cannot exceed quota for AccessKeysPerUser: 2"):
            create_access_key(account, owner)
    assert AccessKey.objects.filter(account=account).count() == 4


def test_unknown_key_ids_find_nothing():
    assert access_key_with_secret("AKIANOTAREALKEY00000") is None
