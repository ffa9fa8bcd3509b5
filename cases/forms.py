"""Support Center forms. They parse what was typed; the rules themselves live in plans.py and services.py,
and the views put a service's CaseValidationError back beside the field it names."""

from django import forms

from accounts.models import Account

from . import plans
from .exceptions import CaseValidationError
from .models import ISSUE_TYPES, CaseStatus, CaseType, ContactMethod, ExtraField, Language, SeverityLevel
from .validation import MAX_BODY, MAX_CC_TEXT, MAX_SUBJECT, check_text, parse_cc_addresses

REGIONS = [
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-2", "US West (Oregon)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
]

# Service-layer field names -> the form field that shows the error.
ERROR_FIELDS = {"communication_body": "description", "body": "description"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,text/plain,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def counted(limit: int, **attrs) -> dict:
    """Widget attributes for a live character counter (see templates/cases/includes/counter_script.html)."""
    return {"data-counter-limit": str(limit), **attrs}


def uploaded(files) -> list[tuple[str, bytes]]:
    return [(upload.name, upload.read()) for upload in files]


class AttachingForm(forms.Form):
    """A form with attachments; files from an earlier try that showed errors wait in `attachment_set_id`."""

    attachments = MultipleFileField(
        label="Attachments", required=False, help_text="Up to 3 attachments (images, text or PDF), each less than 5 MB."
    )
    attachment_set_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def add_service_error(self, error: CaseValidationError) -> None:
        field = ERROR_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, error.message)


class CreateCaseForm(AttachingForm):
    case_type = forms.ChoiceField(choices=CaseType.choices, widget=forms.RadioSelect, initial=CaseType.TECHNICAL)
    service = forms.ChoiceField(label="Service")
    category = forms.ChoiceField(label="Category")
    severity = forms.CharField(label="Severity", widget=forms.Select)
    extra_ids = forms.CharField(label="Resource IDs", required=False, max_length=500)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a Region"), *REGIONS], required=False)
    new_limit_value = forms.IntegerField(label="New limit value", min_value=1, max_value=1_000_000, required=False)
    subject = forms.CharField(label="Subject", widget=forms.TextInput(attrs=counted(MAX_SUBJECT)), strip=False,
                              help_text=f"Maximum {MAX_SUBJECT} characters.")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs=counted(MAX_BODY, rows=8)),
                                  strip=False, help_text=f"Maximum {MAX_BODY} characters.")
    language = forms.ChoiceField(label="Preferred contact language", choices=Language.choices, initial=Language.ENGLISH)
    contact_method = forms.CharField(label="Contact method", initial=ContactMethod.WEB, widget=forms.RadioSelect)
    # Required once Phone is the contact method ("If you select Phone, you're prompted for a callback
    # number", Support user guide), so the field is not optional then: plans.check_case_options says so,
    # and the page shows the field only for Phone, without an "optional" mark.
    callback_number = forms.CharField(label="Callback number", required=False, max_length=25,
                                      help_text="AWS Support calls you back on this number. Include the country code, e.g. +1 206 555 0100.",
                                      widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    callback_number.conditionally_required = True
    cc_email_addresses = forms.CharField(
        label="Additional contacts", required=False, widget=forms.TextInput(attrs=counted(MAX_CC_TEXT)),
        help_text=f"Use commas or semicolons to separate email addresses. Maximum {MAX_CC_TEXT} characters.",
    )

    def __init__(self, account: Account, *args, services=(), severities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.rules = plans.rules_for(account)
        source = self.data if self.is_bound else self.initial
        self.chosen_type = source.get("case_type") or (
            CaseType.TECHNICAL if CaseType.TECHNICAL in self.rules.case_types else CaseType.ACCOUNT_AND_BILLING
        )
        self.initial.setdefault("case_type", self.chosen_type)
        self.fields["case_type"].widget.choices = [(value, label) for value, label in CaseType.choices]
        self.type_services = [service for service in services if service.case_type == self.chosen_type]
        self.fields["service"].choices = [("", "Choose a service"), *((s.code, s.name) for s in self.type_services)]
        self.chosen_service = next((s for s in self.type_services if s.code == source.get("service")), None)
        if len(self.type_services) == 1:  # e.g. service limit increases: nothing to choose
            self.chosen_service = self.type_services[0]
            self.initial["service"] = self.chosen_service.code
        categories = list(self.chosen_service.categories.all()) if self.chosen_service else []
        self.fields["category"].choices = [("", "Choose a category"), *((c.code, c.name) for c in categories)]
        self.chosen_category = next((c for c in categories if c.code == source.get("category")), None)
        self.severity_levels = [level for level in severities if level.code in self.rules.severities]
        self.fields["severity"].widget.choices = [(level.code, f"{level.name} ({_target(level)})") for level in self.severity_levels]
        self.fields["contact_method"].widget.choices = [
            (value, label) for value, label in ContactMethod.choices if value in self.rules.contact_methods
        ]
        if self.chosen_category and self.chosen_category.extra_field:
            self.fields["extra_ids"].label = ExtraField(self.chosen_category.extra_field).label
        if self.is_limit_increase:
            self.fields["category"].label = "Limit type"
            self.fields["region"].required = self.fields["new_limit_value"].required = True
        if not self.rules.allows_cc:
            del self.fields["cc_email_addresses"]

    @property
    def is_limit_increase(self) -> bool:
        return self.chosen_type == CaseType.SERVICE_LIMIT_INCREASE

    @property
    def asks_for_ids(self) -> bool:
        return bool(self.chosen_category and self.chosen_category.extra_field)

    def clean_subject(self):
        return _checked(check_text, self.cleaned_data["subject"], field="subject", label="Subject", limit=MAX_SUBJECT)

    def clean_description(self):
        return _checked(check_text, self.cleaned_data["description"], field="description", label="Description", limit=MAX_BODY)

    def clean(self):
        data = super().clean()
        if {"case_type", "severity", "contact_method"} <= data.keys():
            try:
                plans.check_case_options(
                    self.account,
                    case_type=data["case_type"],
                    severity_code=data["severity"],
                    contact_method=data["contact_method"],
                    callback_number=data.get("callback_number", ""),
                    has_cc=bool(data.get("cc_email_addresses")),
                )
            except CaseValidationError as error:
                self.add_service_error(error)
        return data

    def clean_cc_email_addresses(self):
        return _checked(parse_cc_addresses, self.cleaned_data["cc_email_addresses"])

    def service_arguments(self) -> dict:
        """Keyword arguments for services.create_case (everything but the attachment set)."""
        data = self.cleaned_data
        extra = {"region": data.get("region"), "new_limit_value": data.get("new_limit_value")}
        if self.asks_for_ids:
            extra[self.chosen_category.extra_field.replace("-", "_")] = data.get("extra_ids")
        return {
            "subject": data["subject"],
            "communication_body": data["description"],
            "service_code": data["service"],
            "category_code": data["category"],
            "severity_code": data["severity"],
            "language": data["language"],
            "contact_method": data["contact_method"],
            "callback_number": data["callback_number"],
            "cc_email_addresses": data.get("cc_email_addresses", []),
            "issue_type": ISSUE_TYPES[self.chosen_type],
            "extra_details": extra,
        }


def _checked(check, *args, **kwargs):
    """Run a shared validation rule, reporting its CaseValidationError as this field's error."""
    try:
        return check(*args, **kwargs)
    except CaseValidationError as error:
        raise forms.ValidationError(error.message) from None


def _target(level: SeverityLevel) -> str:
    """The first-response target in words: "15 minutes", "1 hour", "24 hours"."""
    minutes = level.first_response_minutes
    if minutes % 60:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


class ReplyForm(AttachingForm):
    # What the person saw when they wrote: a reply to an open case, or a reopen of a resolved one.
    # A case resolved in the meantime is then refused rather than silently reopened.
    reopen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label="Your message", strip=False, widget=forms.Textarea(attrs=counted(MAX_BODY, rows=5)))


STATUS_FILTERS = [
    ("", "All open cases"),
    ("all", "All cases"),
    *[(status.value, status.label) for status in CaseStatus],
]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": "Subject or case ID"}))
    status = forms.ChoiceField(label="Status", choices=STATUS_FILTERS, required=False)
    severity = forms.ChoiceField(label="Severity", required=False)
    case_type = forms.ChoiceField(label="Type", choices=[("", "All types"), *CaseType.choices], required=False)
    created_after = forms.DateField(label="Created from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_before = forms.DateField(label="Created to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, severities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [("", "All severities"), *((s.code, s.name) for s in severities)]

