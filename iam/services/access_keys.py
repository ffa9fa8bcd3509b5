"""Long-term access keys of IAM users and of the root user (which AWS warns against)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account

from .. import identifiers, secrets
from ..exceptions import LimitExceeded, NoSuchEntity
from ..models import AccessKey, IAMUser
from .common import validate_credential_status

ACCESS_KEYS_PER_IDENTITY = 2


@transaction.atomic
def create_access_key(account: Account, user: IAMUser | None = None) -> tuple[AccessKey, str]:
    """A new access key for an IAM user (or the root user when user is None).

    Returns the key and its secret; the secret is never shown again.
    """
    # Lock the owner so two concurrent requests cannot both pass the quota check.
    if user is not None:
        IAMUser.objects.select_for_update().get(pk=user.pk)
    else:
        Account.objects.select_for_update().get(pk=account.pk)
    if AccessKey.objects.filter(account=account, user=user).count() >= ACCESS_KEYS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_IDENTITY}")
    secret = identifiers.secret_access_key()
    key = AccessKey.objects.create(
        account=account,
        user=user,
        access_key_id=identifiers.unique_id(identifiers.ACCESS_KEY_PREFIX, 16),
        encrypted_secret=secrets.encrypt(secret),
    )
    return key, secret


def find_access_key(account: Account, user: IAMUser | None, access_key_id: str) -> AccessKey:
    key = AccessKey.objects.filter(account=account, user=user, access_key_id=access_key_id).first()
    if key is None:
        owner = user.name if user else "root"
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found for user {owner}.")
    return key


@transaction.atomic
def update_access_key_status(key: AccessKey, status: str) -> AccessKey:
    validate_credential_status(status)
    AccessKey.objects.filter(pk=key.pk).update(status=status)
    key.status = status
    return key


@transaction.atomic
def delete_access_key(key: AccessKey) -> None:
    key.delete()


# GetAccessKeyLastUsed is not a clock: AWS itself reports the last use with a delay. Writing it at most
# once a minute per key keeps an UPDATE (and its row lock) off nearly every signed request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def access_key_use_due(key: AccessKey, now: datetime | None = None) -> bool:
    """Whether record_access_key_use() would write: the key's last use, as read, is a minute old or more."""
    return key.last_used_at is None or key.last_used_at <= (now or timezone.now()) - LAST_USED_RESOLUTION


def record_access_key_use(key: AccessKey, *, service: str, region: str, now: datetime | None = None) -> None:
    """Called by the API after a signed request: what GetAccessKeyLastUsed reports (to the minute).

    `key` is the row the request read; it is written only when its last use is a minute old or more,
    and the condition is checked again in SQL so concurrent calls write it once."""
    now = now or timezone.now()
    if not access_key_use_due(key, now):
        return
    cutoff = now - LAST_USED_RESOLUTION
    AccessKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff), pk=key.pk).update(
        last_used_at=now, last_used_service=service, last_used_region=region
    )
    key.last_used_at, key.last_used_service, key.last_used_region = now, service, region
