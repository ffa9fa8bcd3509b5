"""Signing certificates over the wire, on iam.services.signing_certificates (no UserName: the caller's own)."""

from iam.models import SigningCertificate
from iam.services import signing_certificates as services
from iam.services.common import delete_credential, set_credential_status

from . import operations
from .access_keys import owner_arn
from .common import paged, user_or_caller


def _shape(certificate: SigningCertificate, user) -> dict:
    return {"UserName": user.name if user else None, "CertificateId": certificate.certificate_id,
            "CertificateBody": certificate.body, "Status": certificate.status, "UploadDate": certificate.uploaded_at}


def _owner(call):
    user = user_or_caller(call)
    call.authorize(owner_arn(call, user))
    return user


def _certificate(call):
    user = _owner(call)
    return services.find_signing_certificate(call.principal.account, user, call.params["CertificateId"])


@operations("UploadSigningCertificate")
def upload(call):
    user = _owner(call)
    certificate = services.upload_signing_certificate(call.principal.account, user, call.params["CertificateBody"])
    return {"Certificate": _shape(certificate, user)}


@operations("UpdateSigningCertificate")
def update(call):
    set_credential_status(_certificate(call), call.params["Status"])


@operations("DeleteSigningCertificate")
def delete(call):
    delete_credential(_certificate(call))


@operations("ListSigningCertificates")
def list_certificates(call):
    user = _owner(call)
    certificates = SigningCertificate.objects.filter(account=call.principal.account, user=user)
    rows, more = paged(call, certificates, f"ListSigningCertificates:{user.pk if user else 'root'}")
    return {"Certificates": [_shape(certificate, user) for certificate in rows], **more}
