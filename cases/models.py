"""Support cases, their correspondence and attachments, and the catalog they are filed against.

Field names follow the AWS Support API model (support/2013-04-15): caseId, displayId,
serviceCode/categoryCode, severityCode, status, language, ccEmailAddresses, and
communications with submittedBy/timeCreated/attachmentSet.
"""

from django.conf import settings
from django.db import models

from accounts.models import Account

from .storage import attachment_storage


class CaseType(models.TextChoices):
    ACCOUNT_AND_BILLING = "account-and-billing", "Account and billing"
    SERVICE_LIMIT_INCREASE = "service-limit-increase", "Service limit increase"
    TECHNICAL = "technical", "Technical"


# The API's issueType: everything that is not technical goes to customer service.
ISSUE_TYPES = {
    CaseType.ACCOUNT_AND_BILLING: "customer-service",
    CaseType.SERVICE_LIMIT_INCREASE: "customer-service",
    CaseType.TECHNICAL: "technical",
}


class CaseStatus(models.TextChoices):
    """Status codes exactly as DescribeCases reports them, with the console's labels.

    The console's "Pending Amazon action" is the API's `opened`: the case is open and
    the next move is Amazon's. `customer-action-completed` is what a customer's reply
    to a "pending customer action" case turns it into (also Amazon's move next).
    """

    UNASSIGNED = "unassigned", "Unassigned"
    WORK_IN_PROGRESS = "work-in-progress", "Work in progress"
    PENDING_CUSTOMER_ACTION = "pending-customer-action", "Pending customer action"
    PENDING_AMAZON_ACTION = "opened", "Pending Amazon action"
    CUSTOMER_ACTION_COMPLETED = "customer-action-completed", "Customer action completed"
    REOPENED = "reopened", "Reopened"
    RESOLVED = "resolved", "Resolved"


OPEN_STATUSES = frozenset(CaseStatus) - {CaseStatus.RESOLVED}


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    JAPANESE = "ja", "Japanese"


class ContactMethod(models.TextChoices):
    WEB = "web", "Web"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"


class ExtraField(models.TextChoices):
    """Additional information a category asks for on the create form."""

    NONE = "", "Nothing extra"
    INSTANCE_IDS = "instance-ids", "Instance ID(s)"
    RESOURCE_IDS = "resource-ids", "Resource ID(s) or ARN(s)"


class Service(models.Model):
    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    case_type = models.CharField(max_length=32, choices=CaseType.choices, default=CaseType.TECHNICAL)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    help_text = models.TextField(blank=True, help_text="Shown under the category on the create form.")
    help_links = models.JSONField(
        default=list, blank=True, help_text='A list of {"title": ..., "url": ...} shown with the help text.'
    )
    extra_field = models.CharField(max_length=20, choices=ExtraField.choices, blank=True, default=ExtraField.NONE)

    class Meta:
        ordering = ["service__name", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="category_code_unique_per_service")]

    def __str__(self) -> str:
        return f"{self.service.name} / {self.name}"


class SeverityLevel(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    first_response_minutes = models.PositiveIntegerField()
    rank = models.PositiveSmallIntegerField(unique=True, help_text="1 is the least severe.")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class AttachmentSet(models.Model):
    """Files uploaded ahead of a case or a reply (AddAttachmentsToSet); usable for an hour."""

    attachment_set_id = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="attachment_sets")
    created_at = models.DateTimeField()
    expiry_time = models.DateTimeField()

    def __str__(self) -> str:
        return self.attachment_set_id


class Attachment(models.Model):
    attachment_set = models.ForeignKey(AttachmentSet, on_delete=models.CASCADE, related_name="attachments")
    attachment_id = models.CharField(max_length=80, unique=True)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # The bytes live in the attachments storage (cases/storage.py) under this name, never in the database.
    file = models.FileField(storage=attachment_storage, max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file_name

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as stored:
            return stored.read()


class UploadStatus(models.TextChoices):
    NOT_READY = "attachment-not-ready"
    READY = "attachment-ready"
    FAILED = "failed"


class AttachmentUpload(models.Model):
    """A file sent in parts to presigned links (GetAttachmentUploadLinks) and completed into an attachment set of
    its own (CompleteAttachmentUpload); CreateCase or AddCommunicationToCase take it by uploadId within the hour."""

    upload_id = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="attachment_uploads")
    file_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    part_size = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    expiry_time = models.DateTimeField()
    status = models.CharField(max_length=24, choices=UploadStatus.choices, default=UploadStatus.NOT_READY)
    # {"<part index>": {"name": <stored file name>, "etag": <md5 hex>}} for parts received, until the file is assembled.
    parts = models.JSONField(default=dict, blank=True)
    completed_parts = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    # Once ready: the set that holds the assembled file.
    attachment_set = models.OneToOneField(AttachmentSet, null=True, blank=True, on_delete=models.CASCADE,
                                          related_name="upload")

    def __str__(self) -> str:
        return self.upload_id

    @property
    def total_parts(self) -> int:
        return -(-self.size // self.part_size)

    def expected_part_size(self, index: int) -> int:
        return self.part_size if index < self.total_parts else self.size - self.part_size * (self.total_parts - 1)


EXTRA_DETAIL_LABELS = {
    "instance_ids": "Instance ID(s)",
    "resource_ids": "Resource ID(s)",
    "region": "Region",
    "new_limit_value": "New limit value",
}


class Case(models.Model):
    # No index of their own (every index is written again by each status change, and there are many cases):
    # the account leads the list indexes below; the catalogue's are only asked when a catalogue entry is
    # deleted, which staff rarely do.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="support_cases", db_index=False)
    # Unique by a constraint, not unique=True: that would add a second index (varchar_pattern_ops, for LIKE,
    # which nothing asks of a case ID) to the ones every new case and every status change write.
    case_id = models.CharField("case ID", max_length=80)
    display_id = models.BigIntegerField("display ID", unique=True)
    subject = models.CharField(max_length=250)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases", db_index=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", db_index=False)
    severity = models.ForeignKey(SeverityLevel, on_delete=models.PROTECT, related_name="cases", db_index=False)
    case_type = models.CharField(max_length=32, choices=CaseType.choices)
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.UNASSIGNED)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    contact_method = models.CharField(max_length=8, choices=ContactMethod.choices, default=ContactMethod.WEB)
    callback_number = models.CharField(max_length=25, blank=True)
    cc_email_addresses = models.JSONField(default=list, blank=True)
    # Category prompts and service limit details, e.g. {"instance_ids": "...", "region": "...", "new_limit_value": 40}.
    extra_details = models.JSONField(default=dict, blank=True)
    submitted_by = models.CharField(max_length=300, help_text="Root email address or IAM user ARN.")
    time_created = models.DateTimeField(db_index=True)
    status_changed_at = models.DateTimeField()
    first_response_due = models.DateTimeField(db_index=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )

    class Meta:
        ordering = ["-time_created"]
        indexes = [
            models.Index(fields=["status", "status_changed_at"], name="case_status_changed_idx"),
            # The Support Center list: one account's cases newest first (either way), counted and paged from
            # the index alone (status rides along for the default "open cases" filter).
            models.Index(fields=["account", "time_created", "id", "status"], name="case_account_created_idx"),
            models.Index(fields=["account", "status", "time_created"], name="case_account_status_idx"),
            # The staff queue: a status (unassigned, by default), earliest first response due first.
            models.Index(fields=["status", "first_response_due", "id"], name="case_queue_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["case_id"], name="case_case_id_unique")]

    def __str__(self) -> str:
        return f"{self.display_id}: {self.subject}"

    @property
    def is_resolved(self) -> bool:
        return self.status == CaseStatus.RESOLVED

    @property
    def issue_type(self) -> str:
        return ISSUE_TYPES[self.case_type]

    def extra_detail_items(self) -> list[tuple[str, object]]:
        """The category prompts and limit details, labelled for display."""
        return [(EXTRA_DETAIL_LABELS.get(key, key), value) for key, value in self.extra_details.items()]


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AMAZON = "amazon", "Amazon Web Services"
    SYSTEM = "system", "System"


class AccountCaseCount(models.Model):
    """How many cases an account has in each status, kept by the database itself (PostgreSQL triggers on
    cases_case, migration 0012): the Support Center list's total without counting 100,000 rows a page.
    Not kept on other databases, where the list counts its cases. A count that falls to 0 is deleted by the
    same trigger, so an account deleted with its cases leaves none behind (hence no constraint: the account
    row may go first)."""

    account = models.ForeignKey(Account, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                                db_constraint=False)
    status = models.CharField(max_length=32)
    cases = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"], name="case_count_per_account_status")]


class Communication(models.Model):
    # Its index is communication_thread_idx's first column: a second index would only slow every message down.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="communications", db_index=False)
    body = models.TextField()
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    submitted_by = models.CharField(max_length=300)
    time_created = models.DateTimeField(db_index=True)
    cc_email_addresses = models.JSONField(default=list, blank=True)
    attachment_set = models.OneToOneField(
        AttachmentSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="communication"
    )

    class Meta:
        ordering = ["-time_created", "-pk"]
        # A case's thread newest first (DescribeCommunications, the 5 recent ones of DescribeCases).
        indexes = [models.Index(fields=["case", "time_created", "id"], name="communication_thread_idx")]

    def __str__(self) -> str:
        return f"{self.submitted_by} on {self.case.display_id}"


class CaseTransition(models.Model):
    """The audit trail: every status change, who made it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=32, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=32, choices=CaseStatus.choices)
    actor_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    actor_name = models.CharField(max_length=300)
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.display_id}: {self.from_status} → {self.to_status}"


class ChatStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an engineer"
    ACTIVE = "active", "Engineer connected"
    ENDED = "ended", "Ended"


class Chat(models.Model):
    """A live chat about a case (Business and Enterprise plans); its transcript joins the correspondence at the end."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chats")
    status = models.CharField(max_length=10, choices=ChatStatus.choices, default=ChatStatus.WAITING)
    started_by = models.CharField(max_length=300)
    started_at = models.DateTimeField()
    engineer_name = models.CharField(max_length=150, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    # Set while an engineer is writing an answer: the customer sees "typing…".
    engineer_typing = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Chat on case {self.case.display_id}"

    @property
    def is_open(self) -> bool:
        return self.status != ChatStatus.ENDED


class ChatMessage(models.Model):
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author_name = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]


class CallStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"


class PhoneCall(models.Model):
    """A call from AWS Support about a case (Business and Enterprise plans, the "Phone" contact method).

    Requested by the customer, placed by the simulated engineer in practice accounts or logged by a
    staff engineer; its summary joins the correspondence.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calls")
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.SCHEDULED)
    phone_number = models.CharField(max_length=25)
    requested_by = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField()
    # When the simulated engineer calls; empty while the call waits for a staff engineer.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    engineer_name = models.CharField(max_length=150, blank=True)
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Call on case {self.case.display_id}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == CallStatus.SCHEDULED
