"""GetAccountSummary's SummaryMap: every key IAM returns, counts and quotas, in one query however large the account."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Account

from .identity_kinds import GROUP, MANAGED_POLICIES_PER_IDENTITY, ROLE, USER
from .models import (
    AccessKey,
    IAMAccountSettings,
    IAMGroup,
    IAMUser,
    InstanceProfile,
    MFADevice,
    OpenIDConnectProvider,
    Policy,
    Role,
    SAMLProvider,
    ServerCertificate,
    SigningCertificate,
)
from .services.access_keys import ACCESS_KEYS_PER_IDENTITY
from .services.identities import (
    GROUPS_PER_ACCOUNT,
    GROUPS_PER_USER,
    ROLES_PER_ACCOUNT,
    TRUST_POLICY_SIZE,
    USERS_PER_ACCOUNT,
)
from .services.instance_profiles import INSTANCE_PROFILES_PER_ACCOUNT
from .services.policies import CUSTOMER_MANAGED_POLICIES_PER_ACCOUNT, MANAGED_POLICY_SIZE, VERSIONS_PER_POLICY

from .services.server_certificates import SERVER_CERTIFICATES_PER_ACCOUNT
from .services.signing_certificates import SIGNING_CERTIFICATES_PER_USER

POLICY_VERSIONS_IN_USE_PER_ACCOUNT = 10000
# The account's STS global endpoint token version (SetSecurityTokenServicePreferences) until changed.
GLOBAL_ENDPOINT_TOKEN_VERSION = 1

QUOTAS = {
    "UsersQuota": USERS_PER_ACCOUNT,
    "GroupsQuota": GROUPS_PER_ACCOUNT,
    "RolesQuota": ROLES_PER_ACCOUNT,
    "PoliciesQuota": CUSTOMER_MANAGED_POLICIES_PER_ACCOUNT,
    "ServerCertificatesQuota": SERVER_CERTIFICATES_PER_ACCOUNT,
    "InstanceProfilesQuota": INSTANCE_PROFILES_PER_ACCOUNT,
    "UserPolicySizeQuota": USER.inline_size_limit,
    "GroupPolicySizeQuota": GROUP.inline_size_limit,
    "RolePolicySizeQuota": ROLE.inline_size_limit,
    "PolicySizeQuota": MANAGED_POLICY_SIZE,
    "AssumeRolePolicySizeQuota": TRUST_POLICY_SIZE,
    "GroupsPerUserQuota": GROUPS_PER_USER,
    "SigningCertificatesPerUserQuota": SIGNING_CERTIFICATES_PER_USER,
    "AccessKeysPerUserQuota": ACCESS_KEYS_PER_IDENTITY,
    "AttachedPoliciesPerUserQuota": MANAGED_POLICIES_PER_IDENTITY,
    "AttachedPoliciesPerGroupQuota": MANAGED_POLICIES_PER_IDENTITY,
    "AttachedPoliciesPerRoleQuota": MANAGED_POLICIES_PER_IDENTITY,
    "VersionsPerPolicyQuota": VERSIONS_PER_POLICY,
    "PolicyVersionsInUseQuota": POLICY_VERSIONS_IN_USE_PER_ACCOUNT,
}


def _count(queryset, account_field: str = "account"):
    rows = queryset.filter(**{account_field: OuterRef("pk")}).order_by().values(account_field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), Value(0), output_field=IntegerField())


def _attachments(model, owner: str):
    return _count(model.attached_policies.through.objects.all(), f"{owner}__account")


COUNTED = ("n_users", "n_groups", "n_roles", "n_policies", "n_mfa_devices", "n_instance_profiles", "n_mfa_in_use",
           "n_root_mfa", "n_root_keys", "n_user_attachments", "n_group_attachments", "n_role_attachments",
           "n_saml_providers", "n_oidc_providers", "n_server_certificates", "n_root_signing_certificates",
           "token_version")


def account_summary_map(account: Account, extra_counts: dict | None = None) -> dict[str, int]:
    """Every SummaryMap key. `extra_counts` fills entities other apps keep (instance profiles, providers, ...)."""
    counts = (
        Account.objects.filter(pk=account.pk)
        .annotate(
            n_users=_count(IAMUser.objects.all()),
            n_groups=_count(IAMGroup.objects.all()),
            n_roles=_count(Role.objects.all()),
            n_policies=_count(Policy.objects.all()),
            n_mfa_devices=_count(MFADevice.objects.all()),
            n_instance_profiles=_count(InstanceProfile.objects.all()),
            n_mfa_in_use=_count(MFADevice.objects.filter(enabled_at__isnull=False)),
            n_root_mfa=_count(MFADevice.objects.filter(root=True, enabled_at__isnull=False)),
            n_root_keys=_count(AccessKey.objects.filter(user=None)),
            n_server_certificates=_count(ServerCertificate.objects.all()),
            n_root_signing_certificates=_count(SigningCertificate.objects.filter(user=None)),
            token_version=Coalesce(
                Subquery(IAMAccountSettings.objects.filter(account=OuterRef("pk")).values("global_endpoint_token_version")),
                Value(GLOBAL_ENDPOINT_TOKEN_VERSION), output_field=IntegerField()),
            n_user_attachments=_attachments(IAMUser, "iamuser"),
            n_group_attachments=_attachments(IAMGroup, "iamgroup"),
            n_role_attachments=_attachments(Role, "role"),
            n_saml_providers=_count(SAMLProvider.objects.all()),
            n_oidc_providers=_count(OpenIDConnectProvider.objects.all()),
        )
        .values(*COUNTED)
        .get()
    )
    summary = {
        "Users": counts["n_users"],
        "Groups": counts["n_groups"],
        "Roles": counts["n_roles"],
        "Policies": counts["n_policies"],
        "MFADevices": counts["n_mfa_devices"],
        "MFADevicesInUse": counts["n_mfa_in_use"],
        "AccountMFAEnabled": int(counts["n_root_mfa"] > 0),
        "AccountAccessKeysPresent": int(counts["n_root_keys"] > 0),
        "AccountPasswordPresent": int(bool(account.root_password)),
        "AccountSigningCertificatesPresent": int(counts["n_root_signing_certificates"] > 0),
        "PolicyVersionsInUse": counts["n_user_attachments"] + counts["n_group_attachments"] + counts["n_role_attachments"],
        "ServerCertificates": counts["n_server_certificates"],
        "InstanceProfiles": counts["n_instance_profiles"],
        "Providers": counts["n_saml_providers"] + counts["n_oidc_providers"],
        "GlobalEndpointTokenVersion": counts["token_version"],
        **QUOTAS,
    }
    summary.update(extra_counts or {})
    return summary
