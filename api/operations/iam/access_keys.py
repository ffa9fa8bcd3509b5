from iam import services
from iam.exceptions import NoSuchEntity
from iam.models import AccessKey

from . import operations
from .common import paged, user_or_caller


def owner_arn(call, user) -> str:
    """The IAM user's ARN, or the root user's when the caller names no user and is root."""
    return user.arn if user is not None else call.principal.account.root_arn


def _metadata(key: AccessKey, user) -> dict:
    return {"UserName": user.name if user else None, "AccessKeyId": key.access_key_id, "Status": key.status,
            "CreateDate": key.created_at}


@operations("CreateAccessKey")
def create_access_key(call):
    user = user_or_caller(call)
    call.authorize(owner_arn(call, user))
    key, secret = services.create_access_key(call.principal.account, user)
    return {"AccessKey": {**_metadata(key, user), "SecretAccessKey": secret}}


@operations("ListAccessKeys")
def list_access_keys(call):
    user = user_or_caller(call)
    call.authorize(owner_arn(call, user))
    keys = AccessKey.objects.filter(account=call.principal.account, user=user).order_by("created_at", "pk")
    rows, more = paged(call, keys, f"ListAccessKeys:{user.pk if user else 'root'}")
    return {"AccessKeyMetadata": [_metadata(key, user) for key in rows], **more}


@operations("UpdateAccessKey")
def update_access_key(call):
    user = user_or_caller(call)
    call.authorize(owner_arn(call, user))
    key = services.find_access_key(call.principal.account, user, call.params["AccessKeyId"])
    services.update_access_key_status(key, call.params["Status"])


@operations("DeleteAccessKey")
def delete_access_key(call):
    user = user_or_caller(call)
    call.authorize(owner_arn(call, user))
    services.delete_access_key(services.find_access_key(call.principal.account, user, call.params["AccessKeyId"]))


@operations("GetAccessKeyLastUsed")
def get_access_key_last_used(call):
    key = AccessKey.objects.select_related("user", "account").filter(
        account=call.principal.account, access_key_id=call.params["AccessKeyId"]
    ).first()
    if key is None:  # another account's key is as unknown as a key that never existed
        raise NoSuchEntity(f"The Access Key with id {call.params['AccessKeyId']} cannot be found.")
    call.authorize(owner_arn(call, key.user))
    used = key.last_used_at
    return {
        "UserName": key.user.name if key.user else None,
        "AccessKeyLastUsed": {
            "LastUsedDate": used,
            "ServiceName": key.last_used_service if used else "N/A",
            "Region": key.last_used_region if used else "N/A",
        },
    }
