from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Account, SupportPlan
from cases.models import CaseType, Category, Service

# A factor of 60 rehearses a 24-hour response target in 24 minutes.
DEFAULT_TIME_SPEED_FACTOR = 60
MAX_TIME_SPEED_FACTOR = 86_400
# Simulated minutes before the engineer picks up a new case (or comes back to one the customer answered).
DEFAULT_PICKUP_DELAY_MINUTES = 15
MAX_PICKUP_DELAY_MINUTES = 24 * 60


class Cohort(models.Model):
    """A group of practice accounts an instructor created at once for a class."""

    name = models.CharField(max_length=100)
    support_plan = models.CharField(max_length=16, choices=SupportPlan.choices, default=SupportPlan.BUSINESS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class TrainingProfile(models.Model):
    """How training treats one account: whether it is a practice account, and its simulated engineer.

    Any account may have one (staff can switch the simulated engineer on for a
    demo account); practice accounts always do.
    """

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="training_profile")
    is_practice = models.BooleanField("practice account", default=False)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )
    signed_up_from = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What the account was opened with; a reset restores them (the root user's email and password stay as they are).
    starting_name = models.CharField(max_length=50, blank=True)
    starting_support_plan = models.CharField(max_length=16, choices=SupportPlan.choices, blank=True)
    # When the account's starting state was last seeded; exercises only count what the trainee did after it.
    sandbox_started_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    simulated_engineer = models.BooleanField("simulated support engineer", default=True)
    time_speed_factor = models.PositiveIntegerField(
        default=DEFAULT_TIME_SPEED_FACTOR,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_SPEED_FACTOR)],
        help_text="Response targets are divided by this: 60 turns a 24-hour target into 24 minutes.",
    )
    pickup_delay_minutes = models.PositiveIntegerField(
        "pick-up delay (minutes)",
        default=DEFAULT_PICKUP_DELAY_MINUTES,
        validators=[MaxValueValidator(MAX_PICKUP_DELAY_MINUTES)],
        help_text="Simulated minutes before the engineer picks up a new case or comes back to an answered one; "
        "divided by the time speed like everything else.",
    )

    class Meta:
        ordering = ["account__account_id"]

    def __str__(self) -> str:
        kind = "Practice account" if self.is_practice else "Training settings"
        return f"{kind} {self.account.account_id}"


class ExerciseCompletion(models.Model):
    profile = models.ForeignKey(TrainingProfile, on_delete=models.CASCADE, related_name="completions")
    exercise = models.CharField(max_length=64)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "exercise"], name="one_completion_per_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} done in {self.profile.account.account_id}"


class ReplyPurpose(models.TextChoices):
    ASK_FOR_INFORMATION = "ask", "Ask for more information"
    ANSWER = "answer", "Answer, asking the customer to confirm"
    RESOLUTION = "resolution", "Resolution, after the customer confirms"


# What a template body may mention, filled in from the case.
REPLY_PLACEHOLDERS = ("subject", "display_id", "case_type", "service", "category", "severity")


class ReplyTemplate(models.Model):
    """One reply of the simulated engineer's library; the most specific match for a case wins.

    A template with a category fits only that category; one with a service fits the
    service's categories without a template of their own; one with only a case type fits
    that type; one with none of them fits every case.
    """

    purpose = models.CharField(max_length=16, choices=ReplyPurpose.choices)
    case_type = models.CharField(max_length=32, choices=CaseType.choices, blank=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    body = models.TextField(
        help_text="Placeholders: " + ", ".join(f"{{{name}}}" for name in REPLY_PLACEHOLDERS) + "."
    )

    class Meta:
        ordering = ["purpose", "case_type", "service__name", "category__name", "pk"]

    def __str__(self) -> str:
        scope = self.category or self.service or self.get_case_type_display() or "Any case"
        return f"{self.get_purpose_display()}: {scope}"

    @property
    def specificity(self) -> int:
        return 3 if self.category_id else 2 if self.service_id else 1 if self.case_type else 0

    def fits(self, case) -> bool:
        return (
            (not self.case_type or self.case_type == case.case_type)
            and (self.service_id is None or self.service_id == case.service_id)
            and (self.category_id is None or self.category_id == case.category_id)
        )

    def clean(self):
        problems = {}
        if self.category_id and self.service_id and self.category.service_id != self.service_id:
            problems["category"] = "This category belongs to another service."
        if self.service_id and self.case_type and self.service.case_type != self.case_type:
            problems["service"] = "This service takes another case type."
        try:
            self.body.format_map({name: "" for name in REPLY_PLACEHOLDERS})
        except (KeyError, ValueError, IndexError) as error:
            problems["body"] = f"Unknown or broken placeholder ({error}). Use only: {', '.join(REPLY_PLACEHOLDERS)}."
        if problems:
            raise ValidationError(problems)
