from django.db import models

from accounts.models import Account


class RefreshStatus(models.TextChoices):
    NONE = "none", "Not refreshed"
    ENQUEUED = "enqueued", "Enqueued"
    PROCESSING = "processing", "Processing"
    SUCCESS = "success", "Refreshed"
    ABANDONED = "abandoned", "Refresh failed"


class CheckStatus(models.TextChoices):
    OK = "ok", "No problems detected"
    WARNING = "warning", "Investigation recommended"
    ERROR = "error", "Action recommended"
    NOT_AVAILABLE = "not_available", "Not available"


class Category(models.TextChoices):
    COST_OPTIMIZING = "cost_optimizing", "Cost optimization"
    SECURITY = "security", "Security"
    FAULT_TOLERANCE = "fault_tolerance", "Fault tolerance"
    PERFORMANCE = "performance", "Performance"
    SERVICE_LIMITS = "service_limits", "Service limits"


class AdvisorPreferences(models.Model):
    """Per-account Trusted Advisor settings (the console's Preferences page).

    Whether Trusted Advisor is enabled lives with IAM, which guards deleting its
    service-linked role (iam.services.identities.trusted_advisor_enabled).
    """

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="advisor_preferences")
    weekly_summary_recipient = models.EmailField(blank=True)
    weekly_summary_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "advisor preferences"

    def __str__(self) -> str:
        return f"Trusted Advisor preferences of {self.account.account_id}"


class CheckState(models.Model):
    """The latest result of one check for one account, and where its refresh stands."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="advisor_checks")
    check_id = models.CharField(max_length=10)
    refresh_status = models.CharField(max_length=10, choices=RefreshStatus.choices, default=RefreshStatus.NONE)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)
    # Empty until the first refresh has produced a result.
    status = models.CharField(max_length=13, choices=CheckStatus.choices, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    resources_processed = models.PositiveIntegerField(default=0)
    resources_flagged = models.PositiveIntegerField(default=0)
    resources_ignored = models.PositiveIntegerField(default=0)
    resources_suppressed = models.PositiveIntegerField(default=0)
    estimated_monthly_savings = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    estimated_percent_monthly_savings = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["account", "check_id"]
        constraints = [models.UniqueConstraint(fields=["account", "check_id"], name="one_state_per_check_and_account")]

    def __str__(self) -> str:
        return f"{self.check_id} of {self.account_id}"


class FlaggedResource(models.Model):
    """One resource the latest refresh flagged; replaced wholesale by the next refresh."""

    check_state = models.ForeignKey(CheckState, on_delete=models.CASCADE, related_name="flagged_resources")
    resource_id = models.CharField(max_length=512)
    region = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=13, choices=CheckStatus.choices)
    metadata = models.JSONField(default=list)
    # Copied from Suppression at refresh time and kept in step by exclude/include.
    is_suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["check_state", "pk"]

    def __str__(self) -> str:
        return self.resource_id


class Suppression(models.Model):
    """A flagged resource the customer excluded; remembered across refreshes."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="advisor_suppressions")
    check_id = models.CharField(max_length=10)
    resource_id = models.CharField(max_length=512)
    excluded_by = models.CharField(max_length=2048)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "check_id", "resource_id"], name="one_suppression_per_resource")
        ]

    def __str__(self) -> str:
        return f"{self.check_id}/{self.resource_id}"


class NotificationRule(models.Model):
    """Email a recipient when a check's status changes to `status` (the CloudWatch Events rule)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="advisor_notification_rules")
    # Empty: any check.
    check_id = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=13, choices=CheckStatus.choices)
    recipient = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "check_id", "status", "recipient"], name="notification_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_id or 'any check'} → {self.status} → {self.recipient}"
