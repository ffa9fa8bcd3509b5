"""Every API operation costs the same number of queries in an account with one of everything and in one with
many (no N+1 behind the wire), and a page costs the same whatever its size.

Each request is built by botocore's own serializer from boto3-style parameters, signed, and served in this
thread so its queries can be counted. The caller is an IAM user with full access, so every call also pays
for the IAM decision.
"""

import base64
import json
import pkgutil
import re
import time
from datetime import timedelta
from importlib import import_module

import pyotp
import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import temporary_credentials
from cases.services import add_attachments_to_set, add_communication_to_case, create_case
from events.services import record_event
from iam.models import AccessKey, Role, ServiceLastAccessedJob
from inbox.models import Message
from iam.principals import Principal
from iam.services import (
    TRUSTED_ADVISOR_ROLE,
    add_user_to_group,
    attach_policy,
    create_access_key,
    create_customer_managed_policy,
    create_group,
    create_policy_version,
    create_role,
    create_service_linked_roles,
    create_user,
    create_virtual_mfa_device,
    delete_service_linked_role,
    enable_mfa_device,
    put_inline_policy,
    set_console_password,
    set_trusted_advisor_enabled,
    tag_identity,
)
from iam.services.instance_profiles import add_role_to_instance_profile, create_instance_profile
from iam.services.mfa import seed_of
from tests.credentials import certificate, ed25519_ssh_key
from tests.factories import USER_PASSWORD, AccountFactory, hashed
from tests.federation import saml_assertion, saml_metadata, web_identity_token

from .serialized import send

pytestmark = pytest.mark.django_db

MANY = 4  # within IAM's quotas: 10 groups per user, 10 managed policies per identity
PASSWORD = USER_PASSWORD
DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
EVERYTHING = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
CONDITIONAL = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "s3:*", "Resource": "*",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class World:
    """An account with one (or `n`) of everything an operation can read, and targets for the writes."""

    def __init__(self, n: int):
        self.account = AccountFactory()  # Business support: every Support API operation is open
        account, root = self.account, Principal(account=self.account)
        self.caller = create_user(account, "caller", password_hash=_password_hash())
        attach_policy(self.caller, create_customer_managed_policy(account, "everything", EVERYTHING))
        self.key, self.secret = create_access_key(account, self.caller)
        self.root_key, self.root_secret = create_access_key(account)  # for what only the root user may do
        # The last use of a key is written at most once a minute: not in the calls counted here.
        AccessKey.objects.filter(pk__in=[self.key.pk, self.root_key.pk]).update(last_used_at=timezone.now())
        self.alice = create_user(account, "alice", password_hash=_password_hash())
        self.admins = create_group(account, "admins")
        self.app = create_role(account, "app", TRUST)
        self.policy = create_customer_managed_policy(account, "pol", DOCUMENT)
        create_policy_version(self.policy, DOCUMENT)
        for target in ("doomed", "leaver"):
            create_user(account, target)
        create_user(account, "loginless")
        create_group(account, "doomed")
        create_role(account, "doomed", TRUST)
        create_customer_managed_policy(account, "doomed", DOCUMENT)
        self.alice_key, _ = create_access_key(account, self.alice)
        device = create_virtual_mfa_device(account, self.alice)
        self.totp = pyotp.TOTP(seed_of(device))
        now = time.time()
        enable_mfa_device(device, self.totp.at(now - 30), self.totp.at(now))
        create_virtual_mfa_device(account, create_user(account, "enrolling"))
        self.cases = []
        for i in range(n):
            user = create_user(account, f"user-{i}", password_hash=_password_hash())
            tag_identity(user, {f"team-{i}": "blue"})
            add_user_to_group(self.admins, user)
            create_access_key(account, user)
            create_virtual_mfa_device(account, user)
            group = create_group(account, f"group-{i}")
            add_user_to_group(group, self.alice)
            create_role(account, f"role-{i}", TRUST)
            policy = create_customer_managed_policy(account, f"pol-{i}", DOCUMENT)
            for identity in (self.alice, self.admins, self.app, user):
                attach_policy(identity, policy)
                put_inline_policy(identity, f"inline-{i}", DOCUMENT)
            tag_identity(self.alice, {f"key-{i}": "v"})
            tag_identity(self.app, {f"key-{i}": "v"})
            case = create_case(root, subject=f"case {i}", communication_body="b", service_code="general-info",
                               category_code="using-aws", severity_code="low")
            for _ in range(n + 5 if i == 0 else 1):  # case 0: more than the 5 recent communications shown
                attachments = add_attachments_to_set(root, [("a.png", PNG)])
                add_communication_to_case(root, case.case_id, "more", attachment_set_id=attachments.attachment_set_id)
            self.cases.append(case)
        self.attachment = add_attachments_to_set(root, [("b.png", PNG)]).attachments.get()

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:iam::{self.account.account_id}:{kind}/{name}"

    def mfa(self, name: str) -> str:
        return self.arn("mfa", name)

    @property
    def saml_provider(self) -> str:  # made by _prepare_identity_providers
        return self.arn("saml-provider", "idp-0")

    @property
    def oidc_provider(self) -> str:
        return self.arn("oidc-provider", "idp.example.com/0")


def _password_hash() -> str:
    return hashed(PASSWORD)  # hashing is slow on purpose: once for the whole run


ROOT_ONLY = {"PutAccountName"}
SESSION_ONLY = {"GetScopedCredentials"}  # called with temporary credentials only


def queries(world: World, service_name: str, operation: str, params: dict) -> int:
    key, secret = (world.root_key.access_key_id, world.root_secret) if operation in ROOT_ONLY else (world.key.access_key_id, world.secret)
    token = None
    if operation in SESSION_ONLY:
        key, secret, token = world.session.access_key_id, world.session.secret, world.session_token
    with CaptureQueriesContext(connection) as captured:
        response = send(key, secret, service_name, operation, params, token)
    assert response.status_code == 200, (operation, response.content[:500])
    return len(captured)


def _case(world):
    return world.cases[0].case_id if world.cases else None


def _sent_attachment(world) -> str:
    from cases.models import Attachment

    return Attachment.objects.filter(attachment_set__communication__case=world.cases[0]).first().attachment_id


IAM = {
    "AddUserToGroup": lambda w: {"GroupName": "admins", "UserName": "alice"},
    "AttachGroupPolicy": lambda w: {"GroupName": "admins", "PolicyArn": w.policy.arn},
    "AttachRolePolicy": lambda w: {"RoleName": "app", "PolicyArn": w.policy.arn},
    "AttachUserPolicy": lambda w: {"UserName": "alice", "PolicyArn": w.policy.arn},
    "ChangePassword": lambda w: {"OldPassword": PASSWORD, "NewPassword": PASSWORD[::-1]},
    "CreateAccessKey": lambda w: {"UserName": "doomed"},
    "CreateAccountAlias": lambda w: {"AccountAlias": f"alias-{w.account.account_id}"},
    "CreateGroup": lambda w: {"GroupName": "new"},
    "CreateLoginProfile": lambda w: {"UserName": "loginless", "Password": PASSWORD},
    "CreatePolicy": lambda w: {"PolicyName": "new", "PolicyDocument": DOCUMENT},
    "CreatePolicyVersion": lambda w: {"PolicyArn": w.policy.arn, "PolicyDocument": DOCUMENT, "SetAsDefault": True},
    "CreateRole": lambda w: {"RoleName": "new", "AssumeRolePolicyDocument": TRUST},
    "CreateUser": lambda w: {"UserName": "new", "Tags": [{"Key": "team", "Value": "red"}]},
    "CreateVirtualMFADevice": lambda w: {"VirtualMFADeviceName": "doomed"},
    "DeactivateMFADevice": lambda w: {"UserName": "alice", "SerialNumber": w.mfa("alice")},
    "DeleteAccessKey": lambda w: {"UserName": "alice", "AccessKeyId": w.alice_key.access_key_id},
    "DeleteAccountAlias": lambda w: {"AccountAlias": f"alias-{w.account.account_id}"},  # made by _prepare
    "DeleteAccountPasswordPolicy": lambda w: {},  # _prepare gives the account a password policy
    "DeleteGroup": lambda w: {"GroupName": "doomed"},
    "DeleteGroupPolicy": lambda w: {"GroupName": "admins", "PolicyName": "inline-0"},
    "DeleteLoginProfile": lambda w: {"UserName": "alice"},
    "DeletePolicy": lambda w: {"PolicyArn": w.arn("policy", "doomed")},
    "DeletePolicyVersion": lambda w: {"PolicyArn": w.policy.arn, "VersionId": "v2"},
    "DeleteRole": lambda w: {"RoleName": "doomed"},
    "DeleteRolePermissionsBoundary": lambda w: {"RoleName": "app"},  # _prepare sets one
    "DeleteRolePolicy": lambda w: {"RoleName": "app", "PolicyName": "inline-0"},
    "DeleteUser": lambda w: {"UserName": "doomed"},
    "DeleteUserPermissionsBoundary": lambda w: {"UserName": "alice"},  # _prepare sets one
    "DeleteUserPolicy": lambda w: {"UserName": "alice", "PolicyName": "inline-0"},
    "DeleteVirtualMFADevice": lambda w: {"SerialNumber": w.mfa("enrolling")},
    "DetachGroupPolicy": lambda w: {"GroupName": "admins", "PolicyArn": w.arn("policy", "pol-0")},
    "DetachRolePolicy": lambda w: {"RoleName": "app", "PolicyArn": w.arn("policy", "pol-0")},
    "DetachUserPolicy": lambda w: {"UserName": "alice", "PolicyArn": w.arn("policy", "pol-0")},
    "EnableMFADevice": lambda w: {"UserName": "enrolling", "SerialNumber": w.mfa("enrolling"),
                                  "AuthenticationCode1": w.enrolling_codes[0],
                                  "AuthenticationCode2": w.enrolling_codes[1]},
    "GenerateCredentialReport": lambda w: {},
    "GetAccountAuthorizationDetails": lambda w: {},
    "GetAccessKeyLastUsed": lambda w: {"AccessKeyId": w.alice_key.access_key_id},
    "GetAccountPasswordPolicy": lambda w: {},
    "GetAccountSummary": lambda w: {},
    "GetCredentialReport": lambda w: {},  # _prepare generates it
    "GetGroup": lambda w: {"GroupName": "admins"},
    "GetGroupPolicy": lambda w: {"GroupName": "admins", "PolicyName": "inline-0"},
    "GetLoginProfile": lambda w: {"UserName": "alice"},
    "GetMFADevice": lambda w: {"UserName": "alice", "SerialNumber": w.mfa("alice")},
    "GetPolicy": lambda w: {"PolicyArn": w.policy.arn},
    "GetPolicyVersion": lambda w: {"PolicyArn": w.policy.arn, "VersionId": "v1"},
    "GetRole": lambda w: {"RoleName": "app"},
    "GetRolePolicy": lambda w: {"RoleName": "app", "PolicyName": "inline-0"},
    "GetUser": lambda w: {},
    "GetUserPolicy": lambda w: {"UserName": "alice", "PolicyName": "inline-0"},
    "ListAccessKeys": lambda w: {"UserName": "alice"},
    "ListAccountAliases": lambda w: {},
    "ListAttachedGroupPolicies": lambda w: {"GroupName": "admins"},
    "ListAttachedRolePolicies": lambda w: {"RoleName": "app"},
    "ListAttachedUserPolicies": lambda w: {"UserName": "alice"},
    "ListEntitiesForPolicy": lambda w: {"PolicyArn": w.arn("policy", "pol-0")},
    "ListGroupPolicies": lambda w: {"GroupName": "admins"},
    "ListGroups": lambda w: {},
    "ListGroupsForUser": lambda w: {"UserName": "alice"},
    "ListDelegationRequests": lambda w: {},
    "ListMFADeviceTags": lambda w: {"SerialNumber": w.mfa("alice")},
    "ListMFADevices": lambda w: {"UserName": "alice"},
    "ListPolicies": lambda w: {"Scope": "Local"},
    "ListPolicyVersions": lambda w: {"PolicyArn": w.policy.arn},
    "ListRolePolicies": lambda w: {"RoleName": "app"},
    "ListRoleTags": lambda w: {"RoleName": "app"},
    "ListRoles": lambda w: {},
    "ListUserPolicies": lambda w: {"UserName": "alice"},
    "ListUserTags": lambda w: {"UserName": "alice"},
    "ListUsers": lambda w: {},
    "ListVirtualMFADevices": lambda w: {},
    "PutGroupPolicy": lambda w: {"GroupName": "admins", "PolicyName": "new", "PolicyDocument": DOCUMENT},
    "PutRolePermissionsBoundary": lambda w: {"RoleName": "app", "PermissionsBoundary": w.policy.arn},
    "PutRolePolicy": lambda w: {"RoleName": "app", "PolicyName": "new", "PolicyDocument": DOCUMENT},
    "PutUserPermissionsBoundary": lambda w: {"UserName": "alice", "PermissionsBoundary": w.policy.arn},
    "PutUserPolicy": lambda w: {"UserName": "alice", "PolicyName": "new", "PolicyDocument": DOCUMENT},
    "RemoveUserFromGroup": lambda w: {"GroupName": "admins", "UserName": "user-0"},
    "ResyncMFADevice": lambda w: {"UserName": "alice", "SerialNumber": w.mfa("alice"),
                                  "AuthenticationCode1": w.totp.at(time.time() + 30),
                                  "AuthenticationCode2": w.totp.at(time.time() + 60)},
    "SetDefaultPolicyVersion": lambda w: {"PolicyArn": w.policy.arn, "VersionId": "v2"},
    "SimulateCustomPolicy": lambda w: {"PolicyInputList": [DOCUMENT], "ActionNames": ["s3:GetObject", "ec2:Run"]},
    "SimulatePrincipalPolicy": lambda w: {"PolicySourceArn": w.arn("user", "alice"),
                                          "ActionNames": ["s3:GetObject", "ec2:RunInstances"]},
    "TagMFADevice": lambda w: {"SerialNumber": w.mfa("alice"), "Tags": [{"Key": "new", "Value": "v"}]},
    "TagRole": lambda w: {"RoleName": "app", "Tags": [{"Key": "new", "Value": "v"}]},
    "TagUser": lambda w: {"UserName": "alice", "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagMFADevice": lambda w: {"SerialNumber": w.mfa("alice"), "TagKeys": ["new"]},
    "UntagRole": lambda w: {"RoleName": "app", "TagKeys": ["key-0"]},
    "UntagUser": lambda w: {"UserName": "alice", "TagKeys": ["key-0"]},
    "UpdateAccessKey": lambda w: {"UserName": "alice", "AccessKeyId": w.alice_key.access_key_id, "Status": "Inactive"},
    "UpdateAccountPasswordPolicy": lambda w: {"MinimumPasswordLength": 12, "PasswordReusePrevention": 3},
    "UpdateAssumeRolePolicy": lambda w: {"RoleName": "app", "PolicyDocument": TRUST},
    "UpdateGroup": lambda w: {"GroupName": "admins", "NewGroupName": "operators"},
    "UpdateLoginProfile": lambda w: {"UserName": "alice", "Password": PASSWORD[::-1]},
    "UpdateRole": lambda w: {"RoleName": "app", "Description": "the application"},
    "UpdateRoleDescription": lambda w: {"RoleName": "app", "Description": "the application"},
    "UpdateUser": lambda w: {"UserName": "alice", "NewUserName": "alicia"},
    "GetSAMLProvider": lambda w: {"SAMLProviderArn": w.saml_provider},
    "UpdateSAMLProvider": lambda w: {"SAMLProviderArn": w.saml_provider, "SAMLMetadataDocument": saml_metadata("https://v2")},
    "DeleteSAMLProvider": lambda w: {"SAMLProviderArn": w.saml_provider},
    "TagSAMLProvider": lambda w: {"SAMLProviderArn": w.saml_provider, "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagSAMLProvider": lambda w: {"SAMLProviderArn": w.saml_provider, "TagKeys": ["key-0"]},
    "ListSAMLProviderTags": lambda w: {"SAMLProviderArn": w.saml_provider},
    "GetOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider},
    "UpdateOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider, "RemoveContextProvider": True},
    "DeleteOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider},
    "AddClientIDToOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider, "ClientID": "new"},
    "RemoveClientIDFromOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider,
                                                          "ClientID": "app-0"},
    "UpdateOpenIDConnectProviderThumbprint": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider,
                                                        "ThumbprintList": ["a" * 40]},
    "TagOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider,
                                           "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagOpenIDConnectProvider": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider, "TagKeys": ["key-0"]},
    "ListOpenIDConnectProviderTags": lambda w: {"OpenIDConnectProviderArn": w.oidc_provider},
    "CreateSAMLProvider": lambda w: {"SAMLMetadataDocument": saml_metadata(), "Name": "new",
                                     "Tags": [{"Key": "team", "Value": "id"}]},
    "ListSAMLProviders": lambda w: {},
    "CreateOpenIDConnectProvider": lambda w: {"Url": "https://new.example.com", "ClientIDList": ["app"],
                                              "ThumbprintList": ["a" * 40], "Tags": [{"Key": "team", "Value": "id"}]},
    "ListOpenIDConnectProviders": lambda w: {},
    # Service-linked roles: _prepare disables Trusted Advisor, so its role may go (and be made again).
    "CreateServiceLinkedRole": lambda w: {"AWSServiceName": "trustedadvisor.amazonaws.com"},
    "DeleteServiceLinkedRole": lambda w: {"RoleName": LINKED_ROLE},
    "GetServiceLinkedRoleDeletionStatus": lambda w: {"DeletionTaskId": w.deletion_task_id},
    # Instance profiles: _prepare makes profile-0..n-1, each holding the role "app" and n tags, and "empty".
    "AddRoleToInstanceProfile": lambda w: {"InstanceProfileName": "empty", "RoleName": "app"},
    "CreateInstanceProfile": lambda w: {"InstanceProfileName": "new", "Tags": [{"Key": "team", "Value": "red"}]},
    "DeleteInstanceProfile": lambda w: {"InstanceProfileName": "empty"},
    "GetInstanceProfile": lambda w: {"InstanceProfileName": "profile-0"},
    "ListInstanceProfileTags": lambda w: {"InstanceProfileName": "profile-0"},
    "ListInstanceProfiles": lambda w: {},
    "ListInstanceProfilesForRole": lambda w: {"RoleName": "app"},
    "RemoveRoleFromInstanceProfile": lambda w: {"InstanceProfileName": "profile-0", "RoleName": "app"},
    "TagInstanceProfile": lambda w: {"InstanceProfileName": "profile-0", "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagInstanceProfile": lambda w: {"InstanceProfileName": "profile-0", "TagKeys": ["key-0"]},
    # Service last accessed: the group "admins" covers user-0..n-1, and _prepare records their calls.
    "GenerateServiceLastAccessedDetails": lambda w: {"Arn": w.admins.arn, "Granularity": "ACTION_LEVEL"},
    "GetServiceLastAccessedDetails": lambda w: {"JobId": w.job_id},
    "GetServiceLastAccessedDetailsWithEntities": lambda w: {"JobId": w.job_id, "ServiceNamespace": "iam"},
    "ListPoliciesGrantingServiceAccess": lambda w: {"Arn": w.alice.arn, "ServiceNamespaces": ["s3", "iam"]},
    "GetContextKeysForCustomPolicy": lambda w: {"PolicyInputList": [CONDITIONAL]},
    "GetContextKeysForPrincipalPolicy": lambda w: {"PolicySourceArn": w.alice.arn, "PolicyInputList": [CONDITIONAL]},
    "UploadSSHPublicKey": lambda w: {"UserName": "alice", "SSHPublicKeyBody": ed25519_ssh_key()},
    "GetSSHPublicKey": lambda w: {"UserName": "alice", "SSHPublicKeyId": w.ssh_key.key_id, "Encoding": "PEM"},
    "UpdateSSHPublicKey": lambda w: {"UserName": "alice", "SSHPublicKeyId": w.ssh_key.key_id, "Status": "Inactive"},
    "DeleteSSHPublicKey": lambda w: {"UserName": "alice", "SSHPublicKeyId": w.ssh_key.key_id},
    "ListSSHPublicKeys": lambda w: {"UserName": "alice"},
    "UploadSigningCertificate": lambda w: {"UserName": "leaver", "CertificateBody": certificate()[0]},
    "UpdateSigningCertificate": lambda w: {"UserName": "alice", "CertificateId": w.signing_certificate.certificate_id,
                                           "Status": "Inactive"},
    "DeleteSigningCertificate": lambda w: {"UserName": "alice", "CertificateId": w.signing_certificate.certificate_id},
    "ListSigningCertificates": lambda w: {"UserName": "alice"},
    "UploadServerCertificate": lambda w: dict(zip(("CertificateBody", "PrivateKey"), certificate()),
                                              ServerCertificateName="new", Tags=[{"Key": "k", "Value": "v"}]),
    "GetServerCertificate": lambda w: {"ServerCertificateName": "site-0"},
    "UpdateServerCertificate": lambda w: {"ServerCertificateName": "site-0", "NewServerCertificateName": "renamed"},
    "DeleteServerCertificate": lambda w: {"ServerCertificateName": "site-0"},
    "ListServerCertificates": lambda w: {},
    "TagServerCertificate": lambda w: {"ServerCertificateName": "site-0", "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagServerCertificate": lambda w: {"ServerCertificateName": "site-0", "TagKeys": ["key-0"]},
    "ListServerCertificateTags": lambda w: {"ServerCertificateName": "site-0"},
    "CreateServiceSpecificCredential": lambda w: {"UserName": "alice", "ServiceName": "cassandra.amazonaws.com"},
    "ListServiceSpecificCredentials": lambda w: {"AllUsers": True},
    "UpdateServiceSpecificCredential": lambda w: {"UserName": "alice", "Status": "Inactive",
                                                  "ServiceSpecificCredentialId": w.service_credential.credential_id},
    "ResetServiceSpecificCredential": lambda w: {"UserName": "alice",
                                                 "ServiceSpecificCredentialId": w.service_credential.credential_id},
    "DeleteServiceSpecificCredential": lambda w: {"UserName": "alice",
                                                  "ServiceSpecificCredentialId": w.service_credential.credential_id},
    "TagPolicy": lambda w: {"PolicyArn": w.policy.arn, "Tags": [{"Key": "new", "Value": "v"}]},
    "UntagPolicy": lambda w: {"PolicyArn": w.policy.arn, "TagKeys": ["key-0"]},
    "ListPolicyTags": lambda w: {"PolicyArn": w.policy.arn},
    "GetAccountProperties": lambda w: {},
    "PutAccountProperties": lambda w: {"Properties": {"RoleManager/Enabled": "true"}},
    "SetSecurityTokenServicePreferences": lambda w: {"GlobalEndpointTokenVersion": "v2Token"},
}

SUPPORT = {
    "AddAttachmentsToSet": lambda w: {"attachments": [{"fileName": "c.png", "data": PNG}]},
    "AddCommunicationToCase": lambda w: {"caseId": _case(w), "communicationBody": "again", "ccEmailAddresses": []},
    "CompleteAttachmentUpload": lambda w: {"uploadId": w.upload_id, "completedUploads": [
        {"partIndex": 1, "eTag": w.part_etag}]},
    "DescribeAttachmentUploadStatus": lambda w: {"uploadId": w.upload_id},
    "GetAttachmentDownloadLink": lambda w: {"attachmentId": _sent_attachment(w)},
    "GetAttachmentUploadLinks": lambda w: {"fileName": "big.png", "fileSizeBytes": 3 * 1024 * 1024},
    "CreateCase": lambda w: {"subject": "new", "communicationBody": "b", "serviceCode": "general-info",
                             "categoryCode": "using-aws", "severityCode": "low"},
    "DescribeAttachment": lambda w: {"attachmentId": w.attachment.attachment_id},
    "DescribeCases": lambda w: {"includeResolvedCases": True, "includeCommunications": True},
    "DescribeCommunications": lambda w: {"caseId": _case(w)},
    "DescribeCreateCaseOptions": lambda w: {"issueType": "technical", "serviceCode": "general-info",
                                            "language": "en", "categoryCode": "using-aws"},
    "DescribeServices": lambda w: {},
    "DescribeSeverityLevels": lambda w: {},
    "DescribeSupportedLanguages": lambda w: {"issueType": "technical", "serviceCode": "general-info",
                                             "categoryCode": "using-aws"},
    "DescribeTrustedAdvisorCheckRefreshStatuses": lambda w: {"checkIds": ["Ro0tAkEy01", "zXCkfM1nI3"]},
    "DescribeTrustedAdvisorCheckResult": lambda w: {"checkId": "zXCkfM1nI3", "language": "en"},
    "DescribeTrustedAdvisorCheckSummaries": lambda w: {"checkIds": ["Ro0tAkEy01", "zXCkfM1nI3"]},
    "DescribeTrustedAdvisorChecks": lambda w: {"language": "en"},
    "RefreshTrustedAdvisorCheck": lambda w: {"checkId": "Ro0tAkEy01"},
    "ResolveCase": lambda w: {"caseId": _case(w)},
}

STS = {
    "AssumeRole": lambda w: {"RoleArn": w.app.arn, "RoleSessionName": "probe"},
    "GetAccessKeyInfo": lambda w: {"AccessKeyId": w.alice_key.access_key_id},
    "GetCallerIdentity": lambda w: {},
    "GetScopedCredentials": lambda w: {"Policy": DOCUMENT, "DurationSeconds": 900},
    "AssumeRoleWithSAML": lambda w: {"RoleArn": w.arn("role", "federated"), "PrincipalArn": w.saml_provider,
                                     "SAMLAssertion": saml_assertion("https://idp.example.com/saml",
                                                                     w.arn("role", "federated"), w.saml_provider)},
    "AssumeRoleWithWebIdentity": lambda w: {"RoleArn": w.arn("role", "federated"), "RoleSessionName": "probe",
                                            "WebIdentityToken": web_identity_token("https://idp.example.com/0", "app-0")},
    "GetFederationToken": lambda w: {"Name": "broker", "Policy": DOCUMENT, "Tags": [{"Key": "team", "Value": "a"}]},
    "GetSessionToken": lambda w: {},
}

CONTACT = {"FullName": "Ana Ops", "AddressLine1": "1 Main Street", "City": "Seattle", "StateOrRegion": "WA",
           "PostalCode": "98101", "CountryCode": "US", "PhoneNumber": "+12065550100"}
ALTERNATE = {"Name": "Sam Sec", "Title": "CISO", "EmailAddress": "sec@example.com", "PhoneNumber": "+1 206 555 0101"}

ACCOUNT = {
    "DeleteAlternateContact": lambda w: {"AlternateContactType": "SECURITY"},
    "DisableRegion": lambda w: {"RegionName": "af-south-1"},
    "EnableRegion": lambda w: {"RegionName": "eu-south-1"},
    "GetAccountInformation": lambda w: {},
    "GetAlternateContact": lambda w: {"AlternateContactType": "SECURITY"},
    "GetContactInformation": lambda w: {},
    "GetRegionOptStatus": lambda w: {"RegionName": "af-south-1"},
    "ListRegions": lambda w: {},
    "PutAccountName": lambda w: {"AccountName": "Renamed"},
    "PutAlternateContact": lambda w: {"AlternateContactType": "SECURITY", **ALTERNATE},
    "PutContactInformation": lambda w: {"ContactInformation": CONTACT},
    "GetPrimaryEmail": lambda w: {"AccountId": w.account.account_id},
    "StartPrimaryEmailUpdate": lambda w: {"AccountId": w.account.account_id, "PrimaryEmail": _new_email(w)},
    "GetPrimaryEmailUpdateStatus": lambda w: {"AccountId": w.account.account_id},  # _prepare starts an update
    "AcceptPrimaryEmailUpdate": lambda w: {"AccountId": w.account.account_id, "PrimaryEmail": _new_email(w),
                                           "Otp": w.mailed_code},
    "SendPhoneNumberVerification": lambda w: {},
    "VerifyPhoneNumber": lambda w: {"Otp": w.phone_code},
}


def _new_email(world: World) -> str:
    return f"new-owner-{world.account.account_id}@example.com"


def _prepare(world: World, service: str, operation: str, n: int) -> None:
    """What an operation needs beyond the common world, grown with it where it lists something."""
    if operation in ("DeleteAccountPasswordPolicy", "GetAccountPasswordPolicy"):
        queries(world, "iam", "UpdateAccountPasswordPolicy", {"MinimumPasswordLength": 12})
    if operation in ("DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary"):
        kind = "User" if "User" in operation else "Role"
        queries(world, "iam", f"Put{kind}PermissionsBoundary", IAM[f"Put{kind}PermissionsBoundary"](world))
    if operation == "GetCredentialReport":
        queries(world, "iam", "GenerateCredentialReport", {})
    if operation == "DeleteAccountAlias":
        queries(world, "iam", "CreateAccountAlias", IAM["CreateAccountAlias"](world))
    if operation == "EnableMFADevice":
        now = time.time() + 300  # a time step no code was used in
        from iam.models import MFADevice

        totp = pyotp.TOTP(seed_of(MFADevice.objects.get(account=world.account, name="enrolling")))
        world.enrolling_codes = (totp.at(now - 30), totp.at(now))
    if "SAML" in operation or "OpenIDConnect" in operation or "WebIdentity" in operation:
        _prepare_identity_providers(world, n)
    if "ServiceLinkedRole" in operation:
        _prepare_service_linked_roles(world, operation, n)
    if "InstanceProfile" in operation:
        for i in range(n):
            profile = create_instance_profile(world.account, f"profile-{i}", tags={f"key-{j}": "v" for j in range(n)})
            add_role_to_instance_profile(profile, world.app)
        create_instance_profile(world.account, "empty")
    if operation == "LookupEvents":
        _record_calls(world, [world.alice] * n)
    if "ServiceLastAccessed" in operation:
        _prepare_service_last_accessed(world, operation)
    if operation in CREDENTIAL_OPERATIONS:
        _prepare_credentials(world, n)
    if operation in ("CompleteAttachmentUpload", "DescribeAttachmentUploadStatus"):
        from cases.uploads import store_part, upload_links

        upload, _, _ = upload_links(Principal(world.account), file_name="p.png", size=len(PNG))
        world.upload_id, world.part_etag = upload.upload_id, store_part(upload.upload_id, 1, PNG)
    if service == "account":
        _prepare_account(world, operation)
    if operation in SESSION_ONLY:  # a session of the caller, already scoped down twice when there are many
        world.session, world.session_token = temporary_credentials.issue(
            world.account, timedelta(hours=1), user=world.caller, scope_policies=(EVERYTHING,) * min(n - 1, 2))


def _prepare_identity_providers(world: World, n: int) -> None:
    from iam.services.identity_providers import create_oidc_provider, create_saml_provider

    for i in range(n):
        tags = {f"key-{j}": "v" for j in range(n)}
        create_saml_provider(world.account, f"idp-{i}", saml_metadata(), tags=tags)
        create_oidc_provider(world.account, f"https://idp.example.com/{i}", client_ids=[f"app-{j}" for j in range(n)],
                             thumbprints=["b" * 40], tags=tags)
    trusted = [world.saml_provider, world.oidc_provider]
    create_role(world.account, "federated", json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": trusted},
        "Action": ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]}]}))


LINKED_ROLE = TRUSTED_ADVISOR_ROLE  # the one that may be deleted, once Trusted Advisor is disabled


def _prepare_service_linked_roles(world: World, operation: str, n: int) -> None:
    create_service_linked_roles(world.account)  # what a signed-up account has; the factory's has none
    set_trusted_advisor_enabled(world.account, False)
    support_role = Role.objects.get(account=world.account, name="AWSServiceRoleForSupport")
    for _ in range(n):  # refused deletions: tasks that failed
        delete_service_linked_role(support_role)
    if operation != "DeleteServiceLinkedRole":  # CreateServiceLinkedRole makes it again
        linked_role = Role.objects.get(account=world.account, name=LINKED_ROLE)
        world.deletion_task_id = delete_service_linked_role(linked_role).task_id


def _record_calls(world: World, users) -> None:
    """An IAM and a Support call by each user, in the event history."""
    for user in users:
        for source, name in (("iam.amazonaws.com", "GetUser"), ("support.amazonaws.com", "DescribeCases")):
            record_event(Principal(account=world.account, user=user), event_source=source, event_name=name)


def _prepare_service_last_accessed(world: World, operation: str) -> None:
    _record_calls(world, world.admins.members.all())
    if operation != "GenerateServiceLastAccessedDetails":
        queries(world, "iam", "GenerateServiceLastAccessedDetails", IAM["GenerateServiceLastAccessedDetails"](world))
        world.job_id = str(ServiceLastAccessedJob.objects.get(account=world.account).job_id)


CREDENTIAL_OPERATIONS = {name for name in IAM if any(
    noun in name for noun in ("SSHPublicKey", "SigningCertificate", "ServerCertificate", "ServiceSpecific", "PolicyTag",
                              "TagPolicy", "UntagPolicy", "AccountProperties"))}


def _prepare_credentials(world: World, n: int) -> None:
    """Keys, certificates and credentials of alice (and of every user-<i>), server certificates, policy tags."""
    from iam.models import IAMUser
    from iam.services import account_settings, server_certificates, service_credentials, signing_certificates
    from iam.services import ssh_keys
    from iam.services.policies import tag_policy

    for i in range(n):
        world.ssh_key = ssh_keys.upload_ssh_public_key(world.alice, ed25519_ssh_key())
        body, key = certificate()
        server_certificates.upload_server_certificate(world.account, f"site-{i}", body, key, tags={f"key-{i}": "v"})
        service_credentials.create_service_specific_credential(
            IAMUser.objects.get(account=world.account, name=f"user-{i}"), "codecommit.amazonaws.com")
        tag_policy(world.policy, {f"key-{i}": "v"})
        account_settings.put_account_properties(world.account, {f"Ns{i}/Property": "v"})
    world.signing_certificate = signing_certificates.upload_signing_certificate(
        world.account, world.alice, certificate()[0])
    world.service_credential, _ = service_credentials.create_service_specific_credential(
        world.alice, "codecommit.amazonaws.com")


def _prepare_account(world: World, operation: str) -> None:
    if operation in ("DeleteAlternateContact", "GetAlternateContact"):
        queries(world, "account", "PutAlternateContact", {"AlternateContactType": "SECURITY", **ALTERNATE})
    if operation in ("GetContactInformation", "SendPhoneNumberVerification", "VerifyPhoneNumber"):
        queries(world, "account", "PutContactInformation", {"ContactInformation": CONTACT})
    if operation == "VerifyPhoneNumber":
        from accounts.models import PhoneVerification
        from accounts.services.codes import issue_code
        from accounts.services.phone import PHONE_VERIFICATION

        world.phone_code = issue_code(PhoneVerification, world.account, PHONE_VERIFICATION, timezone.now(),
                                      phone_number=CONTACT["PhoneNumber"], verified_at=None)
    if operation == "DisableRegion":
        queries(world, "account", "EnableRegion", {"RegionName": "af-south-1"})
        # Settled here, not by a worker: with Redis configured the settle task is only sent.
        from accounts.models import RegionOptIn
        from accounts.services import settle_region

        settle_region(RegionOptIn.objects.get(account=world.account, region_name="af-south-1").pk, "ENABLING")
    if operation in ("GetPrimaryEmailUpdateStatus", "AcceptPrimaryEmailUpdate"):
        with TestCase.captureOnCommitCallbacks(execute=True):  # the code is mailed once the request commits
            queries(world, "account", "StartPrimaryEmailUpdate", ACCOUNT["StartPrimaryEmailUpdate"](world))
        body = Message.objects.filter(account=world.account, to=[_new_email(world)]).get().text_body
        world.mailed_code = re.search(r"verification code is (\d{6})", body).group(1)


CLOUDTRAIL = {
    "LookupEvents": lambda w: {"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "alice"}]},
}

PARAMS = {"iam": IAM, "support": SUPPORT, "sts": STS, "account": ACCOUNT, "cloudtrail": CLOUDTRAIL}
OPERATIONS = [(service, name) for service, table in PARAMS.items() for name in table]


# The table is checked in PARTS modules (this one and test_query_counts_part*.py), a share each, so that the
# suite's processes (pytest-xdist hands out whole modules) share its cost instead of one process carrying it.
PARTS = 3


def share(part: int) -> list[tuple[str, str]]:
    return OPERATIONS[part::PARTS]


def cost(service: str, operation: str, n: int) -> int:
    world = World(n)
    _prepare(world, service, operation, n)
    return queries(world, service, operation, PARAMS[service][operation](world))


def assert_same_cost(service: str, operation: str) -> None:
    one, many = cost(service, operation, 1), cost(service, operation, MANY)
    assert one == many, f"{service}:{operation}: {one} queries with 1 of everything, {many} with {MANY}"


def test_every_served_operation_is_counted_here():
    served = {module.name: set(import_module(f"api.operations.{module.name}").operations.names)
              for module in pkgutil.iter_modules(import_module("api.operations").__path__)}
    assert served == {service: set(table) for service, table in PARAMS.items()}


@pytest.mark.parametrize("service, operation", share(0))
def test_an_operation_costs_the_same_queries_for_one_row_or_many(service, operation):
    assert_same_cost(service, operation)


@pytest.mark.parametrize("service, operation, small, large", [
    ("support", "DescribeCases", {"maxResults": 10}, {"maxResults": 100}),
    ("iam", "ListUsers", {"MaxItems": 1}, {"MaxItems": 100}),
    ("iam", "ListPolicies", {"Scope": "Local", "MaxItems": 1}, {"Scope": "Local", "MaxItems": 100}),
])
def test_a_page_costs_the_same_queries_whatever_its_size(service, operation, small, large):
    world = World(1)
    root = Principal(account=world.account)
    for i in range(12):
        create_user(world.account, f"extra-{i}")
        create_customer_managed_policy(world.account, f"extra-{i}", DOCUMENT)
        case = create_case(root, subject=f"extra {i}", communication_body="b", service_code="general-info",
                           category_code="using-aws", severity_code="low")
        attachments = add_attachments_to_set(root, [("a.png", PNG)])
        add_communication_to_case(root, case.case_id, "more", attachment_set_id=attachments.attachment_set_id)
    queries(world, "sts", "GetCallerIdentity", {})  # the caller's policies are parsed once, then kept
    assert queries(world, service, operation, small) == queries(world, service, operation, large)
