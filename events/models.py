import uuid

from django.db import models

from accounts.models import Account


class EventType(models.TextChoices):
    API_CALL = "AwsApiCall", "API call"
    CONSOLE_ACTION = "AwsConsoleAction", "Console action"
    CONSOLE_SIGN_IN = "AwsConsoleSignIn", "Console sign-in"


class Event(models.Model):
    """One management event, as CloudTrail's event history records it."""

    # Its index is event_account_time's first column: a second index would only slow every call's event down.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events", db_index=False)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_time = models.DateTimeField(db_index=True)
    event_type = models.CharField(max_length=20, choices=EventType.choices, default=EventType.API_CALL)
    event_source = models.CharField(max_length=64)
    event_name = models.CharField(max_length=128)
    aws_region = models.CharField(max_length=32, default="us-east-1")
    read_only = models.BooleanField(default=False)
    user_identity = models.JSONField(default=dict)
    # Copied out of user_identity so the history can filter on them.
    user_name = models.CharField(max_length=128, blank=True)
    access_key_id = models.CharField(max_length=20, blank=True)
    source_ip_address = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    request_parameters = models.JSONField(null=True, blank=True)
    response_elements = models.JSONField(null=True, blank=True)
    # Sign-in events carry it (LoginTo, MobileVersion, MFAUsed); other events have none.
    additional_event_data = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=128, blank=True)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-event_time", "-pk"]
        indexes = [models.Index(fields=["account", "-event_time"], name="event_account_time")]

    @property
    def failed(self) -> bool:
        return bool(self.error_code or self.error_message)

    def __str__(self) -> str:
        return f"{self.event_name} at {self.event_time:%Y-%m-%d %H:%M:%S}"

    def as_record(self) -> dict:
        """The event in CloudTrail's JSON record format."""
        record = {
            "eventVersion": "1.08",
            "userIdentity": self.user_identity,
            "eventTime": self.event_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": self.event_source,
            "eventName": self.event_name,
            "awsRegion": self.aws_region,
            "sourceIPAddress": self.source_ip_address,
            "userAgent": self.user_agent,
            "requestParameters": self.request_parameters,
            "responseElements": self.response_elements,
            "requestID": self.request_id,
            "eventID": str(self.event_id),
            "readOnly": self.read_only,
            "eventType": self.event_type,
            "managementEvent": True,
            "recipientAccountId": self.account.account_id,
        }
        if self.additional_event_data is not None:
            record["additionalEventData"] = self.additional_event_data
        if self.error_code:
            record["errorCode"] = self.error_code
        if self.error_code or self.error_message:
            record["errorMessage"] = self.error_message
        return record
