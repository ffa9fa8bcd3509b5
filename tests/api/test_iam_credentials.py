"""SSH public keys, signing certificates, server certificates and service-specific credentials through boto3."""

import base64
import hashlib

import pytest
from botocore.exceptions import ClientError

from tests.credentials import certificate, ed25519_ssh_key, rsa_ssh_key
from tests.factories import allow

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def test_ssh_public_keys(root_api):
    iam = root_api("iam")
    iam.create_user(UserName="dev")
    body = rsa_ssh_key()
    uploaded = iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=body + " dev@laptop")["SSHPublicKey"]
    blob = base64.b64decode(body.split()[1])
    expected = hashlib.md5(blob).hexdigest()  # noqa: S324 (what `ssh-keygen -l -E md5` shows)
    assert uploaded["Fingerprint"] == ":".join(expected[i:i + 2] for i in range(0, 32, 2))
    assert uploaded["SSHPublicKeyId"].startswith("APKA") and uploaded["Status"] == "Active"
    key_id = uploaded["SSHPublicKeyId"]
    assert error(iam.upload_ssh_public_key, UserName="dev", SSHPublicKeyBody=body) == "DuplicateSSHPublicKey"
    assert error(iam.upload_ssh_public_key, UserName="dev", SSHPublicKeyBody="ssh-rsa bm90IGEga2V5") == \
        "UnrecognizedPublicKeyEncoding"
    assert error(iam.upload_ssh_public_key, UserName="dev", SSHPublicKeyBody=rsa_ssh_key(1024)) == "InvalidPublicKey"

    as_ssh = iam.get_ssh_public_key(UserName="dev", SSHPublicKeyId=key_id, Encoding="SSH")["SSHPublicKey"]
    assert as_ssh["SSHPublicKeyBody"] == body
    as_pem = iam.get_ssh_public_key(UserName="dev", SSHPublicKeyId=key_id, Encoding="PEM")["SSHPublicKey"]
    assert as_pem["SSHPublicKeyBody"].startswith("-----BEGIN PUBLIC KEY-----")
    iam.update_ssh_public_key(UserName="dev", SSHPublicKeyId=key_id, Status="Inactive")
    assert error(iam.update_ssh_public_key, UserName="dev", SSHPublicKeyId=key_id, Status="Expired") == "ValidationError"

    for _ in range(4):
        iam.upload_ssh_public_key(UserName="dev", SSHPublicKeyBody=ed25519_ssh_key())
    assert error(iam.upload_ssh_public_key, UserName="dev", SSHPublicKeyBody=ed25519_ssh_key()) == "LimitExceeded"
    first = iam.list_ssh_public_keys(UserName="dev", MaxItems=3)
    rest = iam.list_ssh_public_keys(UserName="dev", Marker=first["Marker"])
    listed = first["SSHPublicKeys"] + rest["SSHPublicKeys"]
    assert first["IsTruncated"] and len(listed) == 5 and listed[0] == {
        "UserName": "dev", "SSHPublicKeyId": key_id, "Status": "Inactive", "UploadDate": listed[0]["UploadDate"]}

    assert error(iam.delete_user, UserName="dev") == "DeleteConflict"
    for key in listed:
        iam.delete_ssh_public_key(UserName="dev", SSHPublicKeyId=key["SSHPublicKeyId"])
    assert error(iam.get_ssh_public_key, UserName="dev", SSHPublicKeyId=key_id, Encoding="SSH") == "NoSuchEntity"
    iam.delete_user(UserName="dev")


def test_signing_certificates_of_a_user_and_of_the_root_user(root_api):
    iam = root_api("iam")
    iam.create_user(UserName="signer")
    body, _ = certificate()
    made = iam.upload_signing_certificate(UserName="signer", CertificateBody=body)["Certificate"]
    assert made["UserName"] == "signer" and made["Status"] == "Active" and made["CertificateBody"].strip() == body.strip()
    assert error(iam.upload_signing_certificate, UserName="signer", CertificateBody=body) == "DuplicateCertificate"
    assert error(iam.upload_signing_certificate, UserName="signer", CertificateBody="-----BEGIN CERTIFICATE-----\nAAAA"
                 "\n-----END CERTIFICATE-----") == "MalformedCertificate"
    iam.upload_signing_certificate(UserName="signer", CertificateBody=certificate()[0])
    assert error(iam.upload_signing_certificate, UserName="signer", CertificateBody=certificate()[0]) == "LimitExceeded"
    page = iam.list_signing_certificates(UserName="signer", MaxItems=1)
    assert page["IsTruncated"] and page["Certificates"][0]["CertificateId"] == made["CertificateId"]
    iam.update_signing_certificate(UserName="signer", CertificateId=made["CertificateId"], Status="Inactive")
    assert iam.list_signing_certificates(UserName="signer")["Certificates"][0]["Status"] == "Inactive"
    assert error(iam.delete_user, UserName="signer") == "DeleteConflict"

    assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 0
    root_certificate = iam.upload_signing_certificate(CertificateBody=certificate()[0])["Certificate"]
    assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 1
    assert [c["CertificateId"] for c in iam.list_signing_certificates()["Certificates"]] == [
        root_certificate["CertificateId"]]
    iam.delete_signing_certificate(CertificateId=root_certificate["CertificateId"])
    assert error(iam.delete_signing_certificate, CertificateId=root_certificate["CertificateId"]) == "NoSuchEntity"


def test_server_certificates(account, root_api):
    iam = root_api("iam")
    body, key = certificate("www.example.com")
    chain, _ = certificate("Example CA")
    made = iam.upload_server_certificate(ServerCertificateName="www", Path="/cloudfront/", CertificateBody=body,
                                         PrivateKey=key, CertificateChain=chain,
                                         Tags=[{"Key": "env", "Value": "prod"}])
    metadata = made["ServerCertificateMetadata"]
    assert metadata["Arn"] == f"arn:aws:iam::{account.account_id}:server-certificate/cloudfront/www"
    assert metadata["ServerCertificateId"].startswith("ASCA") and metadata["Expiration"] > metadata["UploadDate"]
    assert made["Tags"] == [{"Key": "env", "Value": "prod"}]
    _, other_key = certificate()
    assert error(iam.upload_server_certificate, ServerCertificateName="mismatch", CertificateBody=body,
                 PrivateKey=other_key) == "KeyPairMismatch"
    assert error(iam.upload_server_certificate, ServerCertificateName="WWW", CertificateBody=body,
                 PrivateKey=key) == "EntityAlreadyExists"
    assert error(iam.upload_server_certificate, ServerCertificateName="bad", CertificateBody="not a certificate",
                 PrivateKey=key) == "MalformedCertificate"

    got = iam.get_server_certificate(ServerCertificateName="www")["ServerCertificate"]
    assert got["CertificateBody"].strip() == body.strip() and got["CertificateChain"].strip() == chain.strip()
    assert "PRIVATE KEY" not in str(got)

    iam.update_server_certificate(ServerCertificateName="www", NewServerCertificateName="web", NewPath="/")
    assert error(iam.get_server_certificate, ServerCertificateName="www") == "NoSuchEntity"
    iam.tag_server_certificate(ServerCertificateName="web", Tags=[{"Key": "team", "Value": "edge"}])
    iam.untag_server_certificate(ServerCertificateName="web", TagKeys=["env"])
    assert iam.list_server_certificate_tags(ServerCertificateName="web")["Tags"] == [{"Key": "team", "Value": "edge"}]

    for name in ("a", "b"):
        iam.upload_server_certificate(ServerCertificateName=name, Path="/elb/", CertificateBody=body, PrivateKey=key)
    first = iam.list_server_certificates(PathPrefix="/elb/", MaxItems=1)
    rest = iam.list_server_certificates(PathPrefix="/elb/", Marker=first["Marker"])
    assert [c["ServerCertificateName"] for c in first["ServerCertificateMetadataList"] +
            rest["ServerCertificateMetadataList"]] == ["a", "b"]
    assert iam.get_account_summary()["SummaryMap"]["ServerCertificates"] == 3
    iam.delete_server_certificate(ServerCertificateName="web")
    assert error(iam.delete_server_certificate, ServerCertificateName="web") == "NoSuchEntity"


def test_service_specific_credentials(account, root_api):
    iam = root_api("iam")
    iam.create_user(UserName="git")
    made = iam.create_service_specific_credential(UserName="git", ServiceName="codecommit.amazonaws.com")[
        "ServiceSpecificCredential"]
    assert made["ServiceUserName"] == f"git-at-{account.account_id}" and len(made["ServicePassword"]) >= 20
    assert made["Status"] == "Active"
    credential_id = made["ServiceSpecificCredentialId"]
    iam.create_service_specific_credential(UserName="git", ServiceName="codecommit.amazonaws.com")
    assert error(iam.create_service_specific_credential, UserName="git",
                 ServiceName="codecommit.amazonaws.com") == "LimitExceeded"
    assert error(iam.create_service_specific_credential, UserName="git", ServiceName="s3.amazonaws.com") == \
        "NotSupportedService"
    assert error(iam.create_service_specific_credential, UserName="git", ServiceName="cassandra.amazonaws.com",
                 CredentialAgeDays=30) == "ValidationError"
    api_key = iam.create_service_specific_credential(UserName="git", ServiceName="bedrock.amazonaws.com",
                                                     CredentialAgeDays=30)["ServiceSpecificCredential"]
    assert api_key["ServiceCredentialSecret"].startswith("ABSK") and api_key["ExpirationDate"]

    listed = iam.list_service_specific_credentials(UserName="git", ServiceName="codecommit.amazonaws.com")
    assert len(listed["ServiceSpecificCredentials"]) == 2
    assert "ServicePassword" not in listed["ServiceSpecificCredentials"][0]
    page = iam.list_service_specific_credentials(AllUsers=True, MaxItems=2)
    assert page["IsTruncated"] and len(page["ServiceSpecificCredentials"]) == 2

    reset = iam.reset_service_specific_credential(UserName="git", ServiceSpecificCredentialId=credential_id)
    assert reset["ServiceSpecificCredential"]["ServicePassword"] != made["ServicePassword"]
    iam.update_service_specific_credential(UserName="git", ServiceSpecificCredentialId=credential_id, Status="Inactive")
    assert error(iam.delete_user, UserName="git") == "DeleteConflict"
    iam.delete_service_specific_credential(UserName="git", ServiceSpecificCredentialId=credential_id)
    assert error(iam.reset_service_specific_credential, UserName="git",
                 ServiceSpecificCredentialId=credential_id) == "NoSuchEntity"


def test_policy_tags(account, root_api):
    iam = root_api("iam")
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    policy = iam.create_policy(PolicyName="tagged", PolicyDocument=document,
                               Tags=[{"Key": "owner", "Value": "ops"}])["Policy"]
    assert policy["Tags"] == [{"Key": "owner", "Value": "ops"}]
    iam.tag_policy(PolicyArn=policy["Arn"], Tags=[{"Key": "cost", "Value": "42"}, {"Key": "Owner", "Value": "sec"}])
    first = iam.list_policy_tags(PolicyArn=policy["Arn"], MaxItems=1)
    rest = iam.list_policy_tags(PolicyArn=policy["Arn"], Marker=first["Marker"])
    assert first["Tags"] + rest["Tags"] == [{"Key": "cost", "Value": "42"}, {"Key": "Owner", "Value": "sec"}]
    iam.untag_policy(PolicyArn=policy["Arn"], TagKeys=["owner"])
    assert iam.list_policy_tags(PolicyArn=policy["Arn"])["Tags"] == [{"Key": "cost", "Value": "42"}]
    assert error(iam.tag_policy, PolicyArn=policy["Arn"], Tags=[{"Key": "aws:x", "Value": "y"}]) == "ValidationError"
    assert error(iam.tag_policy, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess",
                 Tags=[{"Key": "a", "Value": "b"}]) == "UnmodifiableEntity"


def test_account_properties_and_sts_preferences(root_api):
    iam = root_api("iam")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2

    assert iam.get_account_properties()["Properties"] == {}
    iam.put_account_properties(Properties={"RoleManager/Enabled": "true"})
    assert iam.get_account_properties()["Properties"] == {"RoleManager/Enabled": "true"}
    assert error(iam.put_account_properties, Properties={"RoleManager/A": "1", "Other/B": "2"}) == "InvalidInput"
    assert error(iam.put_account_properties, Properties={"RoleManager/A/B": "1"}) == "InvalidInput"


def test_credentials_need_permission_on_the_user(account, user_api, make_user):
    make_user(account, name="target")
    iam = user_api("iam", account, allow("iam:ListSSHPublicKeys"))
    assert iam.list_ssh_public_keys(UserName="target")["SSHPublicKeys"] == []
    assert error(iam.upload_ssh_public_key, UserName="target", SSHPublicKeyBody=ed25519_ssh_key()) == "AccessDenied"
    assert error(iam.create_service_specific_credential, UserName="target",
                 ServiceName="codecommit.amazonaws.com") == "AccessDenied"
