"""Server certificates over the wire, on iam.services.server_certificates. The private key is never returned."""

from iam.models import ServerCertificate
from iam.services import server_certificates as services

from . import operations
from .common import arn, paged, tags
from .tags import request_tag_context, tags_page


def _metadata(certificate: ServerCertificate) -> dict:
    return {"Path": certificate.path, "ServerCertificateName": certificate.name,
            "ServerCertificateId": certificate.server_certificate_id, "Arn": certificate.arn,
            "UploadDate": certificate.uploaded_at, "Expiration": certificate.expires_at}


def _certificate(call) -> ServerCertificate:
    certificate = services.find_server_certificate(call.principal.account, call.params["ServerCertificateName"])
    call.authorize(certificate.arn)
    return certificate


@operations("UploadServerCertificate")
def upload(call):
    path, name = call.params.get("Path", "/"), call.params["ServerCertificateName"]
    given = {tag["Key"]: tag["Value"] for tag in call.params.get("Tags", ())}
    call.authorize(arn(call, "server-certificate", path, name), request_tag_context(given))
    certificate = services.upload_server_certificate(
        call.principal.account, name, call.params["CertificateBody"], call.params["PrivateKey"],
        chain=call.params.get("CertificateChain", ""), path=path, tags=given,
    )
    return {"ServerCertificateMetadata": _metadata(certificate), "Tags": tags(certificate.tags)}


@operations("GetServerCertificate")
def get(call):
    certificate = _certificate(call)
    return {"ServerCertificate": {"ServerCertificateMetadata": _metadata(certificate),
                                  "CertificateBody": certificate.body, "CertificateChain": certificate.chain or None,
                                  "Tags": tags(certificate.tags)}}


@operations("UpdateServerCertificate")
def update(call):
    certificate = _certificate(call)
    new_name, new_path = call.params.get("NewServerCertificateName"), call.params.get("NewPath")
    # Renaming or moving needs permission on the new ARN too, as IAM checks both.
    call.authorize(arn(call, "server-certificate", new_path or certificate.path, new_name or certificate.name))
    services.update_server_certificate(certificate, new_name=new_name, new_path=new_path)


@operations("DeleteServerCertificate")
def delete(call):
    services.delete_server_certificate(_certificate(call))


@operations("ListServerCertificates")
def list_certificates(call):
    prefix = call.params.get("PathPrefix", "/")
    call.authorize(arn(call, "server-certificate", prefix, ""))
    certificates = ServerCertificate.objects.select_related("account").filter(
        account=call.principal.account, path__startswith=prefix).order_by("name", "pk")
    rows, more = paged(call, certificates, f"ListServerCertificates:{prefix}")
    return {"ServerCertificateMetadataList": [_metadata(certificate) for certificate in rows], **more}


@operations("TagServerCertificate")
def tag(call):
    certificate = services.find_server_certificate(call.principal.account, call.params["ServerCertificateName"])
    given = {item["Key"]: item["Value"] for item in call.params["Tags"]}
    call.authorize(certificate.arn, request_tag_context(given))
    services.tag_server_certificate(certificate, given)


@operations("UntagServerCertificate")
def untag(call):
    certificate = services.find_server_certificate(call.principal.account, call.params["ServerCertificateName"])
    call.authorize(certificate.arn, {"aws:TagKeys": call.params["TagKeys"]})
    services.untag_server_certificate(certificate, call.params["TagKeys"])


@operations("ListServerCertificateTags")
def list_tags(call):
    certificate = _certificate(call)
    return tags_page(call, certificate.tags, f"ListServerCertificateTags:{certificate.pk}")
