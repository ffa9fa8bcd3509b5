import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account

from . import identifiers


def _name_validator(max_length: int) -> RegexValidator:
    """IAM names are ASCII only (no Unicode letters or digits, which \\w would let through)."""
    return RegexValidator(
        rf"^[A-Za-z0-9+=,.@_-]{{1,{max_length}}}$",
        f"Names may contain only ASCII letters, digits and the characters +=,.@_- (1 to {max_length} characters).",
    )


# Users and roles: 1 to 64 characters; groups, policies, inline policies and MFA devices: 1 to 128.
iam_name_validator = _name_validator(64)
long_name_validator = _name_validator(128)
iam_path_validator = RegexValidator(
    r"^/([\x21-\x7e]*/)?$",
    "A path must begin and end with a slash and contain only printable ASCII characters.",
)


class AwsIdentified(models.Model):
    """A row AWS names by a unique ID of its own (AIDA..., ANPA...), given when it is first saved. `identify()`
    gives it to a row written without save() (portal.inserts)."""

    # The field that holds the ID, and the ID's shape: identifiers.unique_id(aws_id_prefix, aws_id_length).
    aws_id_field: str
    aws_id_prefix: str
    aws_id_length = 17

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.identify()
        super().save(*args, **kwargs)

    def identify(self):
        if not getattr(self, self.aws_id_field):
            setattr(self, self.aws_id_field, identifiers.unique_id(self.aws_id_prefix, self.aws_id_length))
        return self


class IAMUser(AwsIdentified):
    aws_id_field, aws_id_prefix = "user_id", identifiers.USER_PREFIX

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="iam_users")
    name = models.CharField(max_length=64, validators=[iam_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    user_id = models.CharField(max_length=21, unique=True, editable=False)
    # Empty when the user has no console password (no login profile).
    password = models.CharField(max_length=256, blank=True)
    password_reset_required = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    password_last_used = models.DateTimeField(null=True, blank=True)
    # When the console password was last set; the password policy's expiry counts from here.
    password_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attached_policies = models.ManyToManyField("Policy", blank=True, related_name="attached_users")
    tags = models.JSONField(default=dict, blank=True)
    # The managed policy that caps what the user's identity policies can grant (PutUserPermissionsBoundary).
    permissions_boundary = models.ForeignKey(
        "Policy", on_delete=models.RESTRICT, null=True, blank=True, related_name="bounded_users"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "IAM user"
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="iam_user_name_unique_per_account_ci"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:user{self.path}{self.name}"

    @property
    def has_console_password(self) -> bool:
        return bool(self.password)


class Policy(AwsIdentified):
    """A managed policy. AWS managed policies have no account and cannot be changed."""

    aws_id_field, aws_id_prefix = "policy_id", identifiers.POLICY_PREFIX

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="policies", null=True, blank=True
    )
    name = models.CharField(max_length=128, validators=[long_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    policy_id = models.CharField(max_length=21, unique=True, editable=False)
    description = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="policy_name_unique_per_account_ci"),
            models.UniqueConstraint(
                Lower("name"), condition=models.Q(account__isnull=True), name="aws_managed_policy_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def is_aws_managed(self) -> bool:
        return self.account_id is None

    @property
    def arn(self) -> str:
        owner = "aws" if self.is_aws_managed else self.account.account_id
        return f"arn:aws:iam::{owner}:policy{self.path}{self.name}"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    version_id = models.CharField(max_length=8)
    # Kept as the text the author wrote, as AWS returns it.
    document = models.TextField()
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version_id"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["policy"], condition=models.Q(is_default=True), name="one_default_version_per_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.name} {self.version_id}"


class InlinePolicy(models.Model):
    """A policy embedded in one user, group or role; it lives and dies with its owner."""

    name = models.CharField(max_length=128, validators=[long_name_validator])
    document = models.TextField()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.owner.name}/{self.name}"


class UserInlinePolicy(InlinePolicy):
    user = models.ForeignKey(IAMUser, on_delete=models.CASCADE, related_name="inline_policies")

    class Meta(InlinePolicy.Meta):
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="user_inline_policy_name_unique_ci"),
        ]

    @property
    def owner(self) -> IAMUser:
        return self.user


class SignInFailure(models.Model):
    """One failed console sign-in, counted against the name that was tried and the client address."""

    sign_in_name = models.CharField(max_length=400, db_index=True)
    client_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.sign_in_name} at {self.failed_at:%Y-%m-%d %H:%M:%S}"


class AccessKeyStatus(models.TextChoices):
    ACTIVE = "Active", "Active"
    INACTIVE = "Inactive", "Inactive"


class AccessKey(models.Model):
    """A long-term access key of an IAM user, or of the root user when `user` is empty.

    SigV4 needs the secret on the server side, so it is kept encrypted at rest
    (iam.secrets) and shown to its owner only once, at creation.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="access_keys")
    user = models.ForeignKey(IAMUser, on_delete=models.CASCADE, related_name="access_keys", null=True, blank=True)
    access_key_id = models.CharField(max_length=20, unique=True, editable=False)
    encrypted_secret = models.TextField(editable=False)
    status = models.CharField(max_length=8, choices=AccessKeyStatus.choices, default=AccessKeyStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_service = models.CharField(max_length=64, blank=True)
    last_used_region = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.access_key_id

    @property
    def is_active(self) -> bool:
        return self.status == AccessKeyStatus.ACTIVE


class IAMGroup(AwsIdentified):
    aws_id_field, aws_id_prefix = "group_id", identifiers.GROUP_PREFIX

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="iam_groups")
    name = models.CharField(max_length=128, validators=[long_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    group_id = models.CharField(max_length=21, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(IAMUser, blank=True, related_name="groups")
    attached_policies = models.ManyToManyField("Policy", blank=True, related_name="attached_groups")

    class Meta:
        ordering = ["name"]
        verbose_name = "IAM group"
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="iam_group_name_unique_per_account_ci"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:group{self.path}{self.name}"


class GroupInlinePolicy(InlinePolicy):
    group = models.ForeignKey(IAMGroup, on_delete=models.CASCADE, related_name="inline_policies")

    class Meta(InlinePolicy.Meta):
        constraints = [
            models.UniqueConstraint("group", Lower("name"), name="group_inline_policy_name_unique_ci"),
        ]

    @property
    def owner(self) -> IAMGroup:
        return self.group


class Role(AwsIdentified):
    """An IAM role. A service-linked role names the service that alone may assume and change it."""

    aws_id_field, aws_id_prefix = "role_id", identifiers.ROLE_PREFIX

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="iam_roles")
    name = models.CharField(max_length=64, validators=[iam_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    role_id = models.CharField(max_length=21, unique=True, editable=False)
    description = models.CharField(max_length=1000, blank=True)
    trust_policy = models.TextField()
    max_session_duration = models.PositiveIntegerField(default=3600)  # seconds
    linked_service = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_region = models.CharField(max_length=32, blank=True)
    attached_policies = models.ManyToManyField("Policy", blank=True, related_name="attached_roles")
    tags = models.JSONField(default=dict, blank=True)
    permissions_boundary = models.ForeignKey(
        "Policy", on_delete=models.RESTRICT, null=True, blank=True, related_name="bounded_roles"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "IAM role"
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="iam_role_name_unique_per_account_ci"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:role{self.path}{self.name}"

    @property
    def is_service_linked(self) -> bool:
        return bool(self.linked_service)


class RoleInlinePolicy(InlinePolicy):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="inline_policies")

    class Meta(InlinePolicy.Meta):
        constraints = [
            models.UniqueConstraint("role", Lower("name"), name="role_inline_policy_name_unique_ci"),
        ]

    @property
    def owner(self) -> Role:
        return self.role


class PasswordPolicy(models.Model):
    """The account's password policy for IAM users (never for the root user)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="password_policy")
    minimum_length = models.PositiveSmallIntegerField(default=8)
    require_symbols = models.BooleanField(default=False)
    require_numbers = models.BooleanField(default=False)
    require_uppercase = models.BooleanField(default=False)
    require_lowercase = models.BooleanField(default=False)
    allow_users_to_change = models.BooleanField(default=False)
    max_age_days = models.PositiveSmallIntegerField(null=True, blank=True)  # None: passwords never expire
    reuse_prevention = models.PositiveSmallIntegerField(null=True, blank=True)  # None: reuse allowed
    hard_expiry = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Password policy of {self.account.account_id}"


class PasswordHistory(models.Model):
    """Earlier password hashes of a user, for the policy's reuse prevention."""

    user = models.ForeignKey(IAMUser, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user.name} password set {self.set_at:%Y-%m-%d}"


class MFADevice(models.Model):
    """A virtual MFA device, as IAM keeps it: created on its own (any name and path), then assigned.

    A device is *assigned* once enabled with two consecutive codes, to an IAM user (`user`) or to the root
    user (`root`); until then it is *unassigned*, and deactivation makes it unassigned again (its
    enrolment target, if the console started one, stays in user/root). The seed is encrypted at rest.
    `last_used_step` is the newest TOTP time step accepted, so no code is ever accepted twice;
    `drift_steps` is what a resync measured.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mfa_devices")
    user = models.ForeignKey(
        IAMUser, on_delete=models.CASCADE, related_name="mfa_devices", related_query_name="mfa_device",
        null=True, blank=True,
    )
    root = models.BooleanField(default=False)
    name = models.CharField(max_length=226, validators=[_name_validator(226)])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    encrypted_seed = models.TextField(editable=False)
    enabled_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    drift_steps = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    tags = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("account", "path", Lower("name"), name="mfa_device_path_name_unique_ci"),
            models.CheckConstraint(condition=~models.Q(root=True, user__isnull=False), name="mfa_device_one_holder"),
        ]

    def __str__(self) -> str:
        return self.serial_number

    @property
    def serial_number(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:mfa{self.path}{self.name}"

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None


class IAMAccountSettings(models.Model):
    """IAM's per-account switches that other services flip (e.g. Trusted Advisor), and the last credential report."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="iam_settings")
    trusted_advisor_enabled = models.BooleanField(default=True)
    # GenerateCredentialReport: the CSV as of generation, which GetCredentialReport returns for 4 hours.
    credential_report = models.TextField(blank=True)
    credential_report_generated_at = models.DateTimeField(null=True, blank=True)
    # SetSecurityTokenServicePreferences: 1 (v1Token, valid only in Regions enabled by default) or 2 (v2Token).
    global_endpoint_token_version = models.PositiveSmallIntegerField(default=1)
    # PutAccountProperties: "Namespace/PropertyName" -> value.
    properties = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"IAM settings of {self.account.account_id}"


class ServiceLinkedRoleDeletion(models.Model):
    """One DeleteServiceLinkedRole request; GetServiceLinkedRoleDeletionStatus reads its outcome."""

    class Status(models.TextChoices):
        SUCCEEDED = "SUCCEEDED"
        FAILED = "FAILED"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="service_linked_role_deletions")
    task_id = models.CharField(max_length=1000, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)  # why a FAILED deletion was refused
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.task_id


class ServiceLastAccessedJob(models.Model):
    """A GenerateServiceLastAccessedDetails request; the report is read from the event history when asked for."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="service_last_accessed_jobs")
    job_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entity_arn = models.CharField(max_length=2048)
    granularity = models.CharField(max_length=16, default="SERVICE_LEVEL")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.job_id)


class InstanceProfile(AwsIdentified):
    """A container for one role that EC2 instances would use; the sandbox keeps them for scripts that manage them."""

    aws_id_field, aws_id_prefix = "instance_profile_id", identifiers.INSTANCE_PROFILE_PREFIX

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="instance_profiles")
    name = models.CharField(max_length=128, validators=[long_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    instance_profile_id = models.CharField(max_length=21, unique=True, editable=False)
    roles = models.ManyToManyField(Role, blank=True, related_name="instance_profiles")
    tags = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="instance_profile_name_unique_per_account_ci"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:instance-profile{self.path}{self.name}"


class SAMLProvider(AwsIdentified):
    """A SAML 2.0 identity provider the account trusts (AssumeRoleWithSAML), described by its metadata document."""

    aws_id_field, aws_id_prefix = "provider_uuid", ""
    aws_id_length = 26

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="saml_providers")
    name = models.CharField(max_length=128)
    provider_uuid = models.CharField(max_length=64, unique=True, editable=False)
    metadata_document = models.TextField()
    # The metadata's EntityDescriptor entityID: the Issuer every assertion from this provider must name.
    entity_id = models.CharField(max_length=1024)
    valid_until = models.DateTimeField(null=True, blank=True)
    assertion_encryption_mode = models.CharField(max_length=16, default="Allowed")
    private_keys = models.JSONField(default=list, blank=True)  # [{"KeyId", "Timestamp"}], at most two
    tags = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("account", "name", name="saml_provider_name_unique_per_account")]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:saml-provider/{self.name}"


class OpenIDConnectProvider(models.Model):
    """An OpenID Connect identity provider the account trusts (AssumeRoleWithWebIdentity), named by its issuer URL."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="oidc_providers")
    # The issuer without https:// (host and path), as the ARN and the trust policy condition keys name it.
    url = models.CharField(max_length=255)
    client_ids = models.JSONField(default=list, blank=True)
    thumbprints = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [models.UniqueConstraint("account", "url", name="oidc_provider_url_unique_per_account")]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:oidc-provider/{self.url}"


class CredentialStatus(models.TextChoices):
    """The status of SSH public keys, signing certificates and service-specific credentials."""

    ACTIVE = "Active", "Active"
    INACTIVE = "Inactive", "Inactive"
    EXPIRED = "Expired", "Expired"


class SSHPublicKey(models.Model):
    """An SSH public key of an IAM user (for CodeCommit), kept in OpenSSH form; `fingerprint` is its MD5, as IAM shows."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ssh_public_keys")
    user = models.ForeignKey(IAMUser, on_delete=models.CASCADE, related_name="ssh_public_keys")
    key_id = models.CharField(max_length=21, unique=True, editable=False)
    body = models.TextField()
    fingerprint = models.CharField(max_length=47)
    status = models.CharField(max_length=8, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.key_id


class SigningCertificate(models.Model):
    """An X.509 signing certificate of an IAM user, or of the root user when `user` is empty."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="signing_certificates")
    user = models.ForeignKey(
        IAMUser, on_delete=models.CASCADE, related_name="signing_certificates", null=True, blank=True
    )
    certificate_id = models.CharField(max_length=32, unique=True, editable=False)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.certificate_id


class ServerCertificate(AwsIdentified):
    """A TLS certificate (and its chain) stored for the account. The private key is checked, never kept."""

    aws_id_field, aws_id_prefix = "server_certificate_id", identifiers.SERVER_CERTIFICATE_PREFIX

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="server_certificates")
    name = models.CharField(max_length=128, validators=[long_name_validator])
    path = models.CharField(max_length=512, default="/", validators=[iam_path_validator])
    server_certificate_id = models.CharField(max_length=21, unique=True, editable=False)
    body = models.TextField()
    chain = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    tags = models.JSONField(default=dict, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("account", Lower("name"), name="server_certificate_name_unique_per_account_ci"),
        ]

    def __str__(self) -> str:
        return self.arn

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account.account_id}:server-certificate{self.path}{self.name}"


class ServiceSpecificCredential(models.Model):
    """A user name and password (or an API key) for one AWS service. The password is shown once and never kept."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="service_specific_credentials")
    user = models.ForeignKey(IAMUser, on_delete=models.CASCADE, related_name="service_specific_credentials")
    credential_id = models.CharField(max_length=21, unique=True, editable=False)
    service_name = models.CharField(max_length=64)
    # ServiceUserName for passwords (CodeCommit, Keyspaces), ServiceCredentialAlias for API keys (Bedrock).
    service_user_name = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.credential_id

    @property
    def current_status(self) -> str:
        """The stored status, or Expired once an API key's age has run out."""
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return CredentialStatus.EXPIRED
        return self.status
