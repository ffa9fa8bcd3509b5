from datetime import timedelta

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# After closing, the root user may still sign in (to reopen) for this long.
POST_CLOSURE_PERIOD = timedelta(days=90)


class SupportPlan(models.TextChoices):
    BASIC = "basic", "Basic"
    DEVELOPER = "developer", "Developer"
    BUSINESS = "business", "Business"
    ENTERPRISE = "enterprise", "Enterprise"


class AccountStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    # Closed by the root user; reopenable by support during the post-closure period.
    CLOSED = "CLOSED", "Closed"
    # The post-closure period has passed: permanently closed, never reopened.
    TERMINATED = "TERMINATED", "Terminated"


class Account(models.Model):
    """An AWS account: the tenant every customer-side object belongs to."""

    account_id = models.CharField("account ID", max_length=12, unique=True)
    canonical_user_id = models.CharField("canonical user ID", max_length=64, unique=True)
    name = models.CharField("account name", max_length=50)
    alias = models.CharField("account alias", max_length=63, unique=True, null=True, blank=True)
    root_email = models.EmailField("root user email", max_length=254)
    root_password = models.CharField("root user password hash", max_length=256)
    support_plan = models.CharField(max_length=16, choices=SupportPlan.choices, default=SupportPlan.BASIC)
    status = models.CharField(max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    closed_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    # When the root user of the closed account asked support to reopen it (one request per closure).
    reopen_requested_at = models.DateTimeField(null=True, blank=True)
    iam_billing_access = models.BooleanField(
        "IAM user and role access to billing information",
        default=False,
        help_text="Only the root user may change this.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped in the same transaction as any change to the policies that apply to one of the account's
    # identities (iam.policy_versions): the API keeps parsed policies per process under this number.
    iam_policy_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["account_id"]
        constraints = [
            models.UniqueConstraint(Lower("root_email"), name="account_root_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @property
    def in_post_closure_period(self) -> bool:
        return (
            self.status == AccountStatus.CLOSED
            and self.closed_at is not None
            and timezone.now() < self.closed_at + POST_CLOSURE_PERIOD
        )

    @property
    def root_may_sign_in(self) -> bool:
        """IAM users need an active account; the root user may also use the post-closure period."""
        return self.is_active or self.in_post_closure_period

    @property
    def root_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    @property
    def sign_in_reference(self) -> str:
        """What the account-specific sign-in URL carries: the alias once there is one."""
        return self.alias or self.account_id


class ContactInformation(models.Model):
    """The account's primary contact (Account Management API: ContactInformation)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="contact_information")
    full_name = models.CharField(max_length=50)
    company_name = models.CharField(max_length=50, blank=True)
    address_line_1 = models.CharField(max_length=60)
    address_line_2 = models.CharField(max_length=60, blank=True)
    address_line_3 = models.CharField(max_length=60, blank=True)
    city = models.CharField(max_length=50)
    state_or_region = models.CharField(max_length=50, blank=True)
    district_or_county = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20)
    country_code = models.CharField(max_length=2)
    phone_number = models.CharField(max_length=20)
    website_url = models.CharField(max_length=256, blank=True)

    def __str__(self) -> str:
        return f"Contact information of {self.account.account_id}"


class AlternateContactType(models.TextChoices):
    BILLING = "BILLING", "Billing"
    OPERATIONS = "OPERATIONS", "Operations"
    SECURITY = "SECURITY", "Security"


class AlternateContact(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="alternate_contacts")
    contact_type = models.CharField(max_length=10, choices=AlternateContactType.choices)
    name = models.CharField(max_length=64)
    title = models.CharField(max_length=50)
    email_address = models.EmailField(max_length=254)
    phone_number = models.CharField(max_length=25)

    class Meta:
        ordering = ["contact_type"]
        constraints = [
            models.UniqueConstraint(fields=["account", "contact_type"], name="one_alternate_contact_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} contact of {self.account.account_id}"


class RegionOptIn(models.Model):
    """The opt-in state of one opt-in Region; no row means DISABLED (default Regions have none)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="region_opt_ins")
    region_name = models.CharField(max_length=50)
    status = models.CharField(max_length=18)
    changed_at = models.DateTimeField()
    # When an ENABLING/DISABLING Region is due to settle (the beat sweep's safety net).
    settles_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region_name"], name="one_opt_in_state_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} {self.status} in {self.account.account_id}"


class SecurityChallengeAnswer(models.Model):
    """One of the three security challenge questions, with its answer stored hashed."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="challenge_answers")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=100)
    answer_hash = models.CharField(max_length=256)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["account", "position"], name="one_challenge_answer_per_position"),
        ]

    def __str__(self) -> str:
        return f"Challenge question {self.position} of {self.account.account_id}"


class PhoneVerification(models.Model):
    """The primary contact phone number's verification (SendPhoneNumberVerification, VerifyPhoneNumber): the number
    the code went to, and when it was proved. A change of the contact's number leaves it unverified."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="phone_verification")
    phone_number = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=256, blank=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Phone verification of {self.account.account_id}"


class PendingRootEmailChange(models.Model):
    """A root email change waiting for the one-time code sent to the new address."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="pending_email_change")
    new_email = models.EmailField(max_length=254)
    code_hash = models.CharField(max_length=256)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Email change of {self.account.account_id} to {self.new_email}"


class RootRecovery(models.Model):
    """A root user who lost the password proving who they are: the code emailed to the root
    address, then the security challenge answers, then a new password."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="root_recovery")
    code_hash = models.CharField(max_length=256)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    code_verified = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Root recovery of {self.account.account_id}"
