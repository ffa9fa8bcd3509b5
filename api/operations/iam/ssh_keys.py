"""SSH public keys over the wire, on iam.services.ssh_keys."""

from iam.models import SSHPublicKey
from iam.services import ssh_keys as services
from iam.services.common import delete_credential, set_credential_status

from . import operations
from .common import find_user, paged, user_or_caller


def _shape(key: SSHPublicKey, user, body: str | None = None) -> dict:
    shape = {"UserName": user.name, "SSHPublicKeyId": key.key_id, "Status": key.status, "UploadDate": key.uploaded_at}
    if body is not None:
        shape.update(Fingerprint=key.fingerprint, SSHPublicKeyBody=body)
    return shape


def _user_and_key(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    return user, services.find_ssh_public_key(user, call.params["SSHPublicKeyId"])


@operations("UploadSSHPublicKey")
def upload(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    key = services.upload_ssh_public_key(user, call.params["SSHPublicKeyBody"])
    return {"SSHPublicKey": _shape(key, user, key.body)}


@operations("GetSSHPublicKey")
def get(call):
    user, key = _user_and_key(call)
    return {"SSHPublicKey": _shape(key, user, services.encoded(key, call.params["Encoding"]))}


@operations("UpdateSSHPublicKey")
def update(call):
    _, key = _user_and_key(call)
    set_credential_status(key, call.params["Status"])


@operations("DeleteSSHPublicKey")
def delete(call):
    _, key = _user_and_key(call)
    delete_credential(key)


@operations("ListSSHPublicKeys")
def list_keys(call):
    user = user_or_caller(call)
    if user is None:  # the root user has no SSH public keys
        call.authorize(call.principal.account.root_arn)
        return {"SSHPublicKeys": [], "IsTruncated": False}
    call.authorize(user.arn)
    rows, more = paged(call, SSHPublicKey.objects.filter(user=user), f"ListSSHPublicKeys:{user.pk}")
    return {"SSHPublicKeys": [_shape(key, user) for key in rows], **more}
