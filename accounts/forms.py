"""Console forms. They only collect input: every rule is checked by the service they feed,
and the service's field problems are shown beside the fields (see views.common)."""

from django import forms

from .countries import COUNTRY_CHOICES
from .models import SupportPlan
from .services.root_user import CHALLENGE_QUESTIONS
from .validation import ALTERNATE_CONTACT, CONTACT_INFORMATION, Rule


class ServiceCheckedField(forms.CharField):
    """Marked required or optional as the API rule says, but checked by the service alone."""

    def validate(self, value):
        pass


class ServiceCheckedForm(forms.Form):
    # Let an empty required field reach the server, so its message appears beside the field.
    use_required_attribute = False


def _fields(rules: tuple[Rule, ...], labels: dict[str, str], widgets: dict | None = None) -> dict:
    widgets = widgets or {}
    return {
        rule.field: ServiceCheckedField(label=labels[rule.field], required=rule.required, widget=widgets.get(rule.field))
        for rule in rules
    }


ContactInformationForm = type(
    "ContactInformationForm",
    (ServiceCheckedForm,),
    _fields(
        CONTACT_INFORMATION,
        {
            "full_name": "Full name",
            "company_name": "Company name",
            "address_line_1": "Address line 1",
            "address_line_2": "Address line 2",
            "address_line_3": "Address line 3",
            "city": "City",
            "state_or_region": "State, province or region",
            "district_or_county": "District or county",
            "postal_code": "Postal code",
            "country_code": "Country or region",
            "phone_number": "Phone number",
            "website_url": "Website URL",
        },
        {
            "country_code": forms.Select(choices=[("", "Choose a country or region")] + COUNTRY_CHOICES),
            "phone_number": forms.TextInput(attrs={"type": "tel", "placeholder": "+1 206-555-0100"}),
        },
    ),
)

AlternateContactForm = type(
    "AlternateContactForm",
    (ServiceCheckedForm,),
    _fields(
        ALTERNATE_CONTACT,
        {"name": "Full name", "title": "Title", "email_address": "Email address", "phone_number": "Phone number"},
        {"phone_number": forms.TextInput(attrs={"type": "tel"})},
    ),
)


class AccountNameForm(ServiceCheckedForm):
    name = ServiceCheckedField(label="Account name")


class RootEmailForm(ServiceCheckedForm):
    new_email = ServiceCheckedField(label="New email address", widget=forms.EmailInput)


class EmailCodeForm(ServiceCheckedForm):
    # Named as AWS names one-time codes (AcceptPrimaryEmailUpdate's Otp), so the event history hides its value.
    otp = ServiceCheckedField(
        label="Verification code", help_text="Enter the 6-digit code from the email we sent.", widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})
    )


class NewPasswordForm(ServiceCheckedForm):
    new_password = ServiceCheckedField(
        label="New password",
        strip=False,
        help_text="8–128 characters, with at least three of: uppercase, lowercase, numbers and symbols.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = ServiceCheckedField(
        label="Confirm new password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        # Typing the password twice is a console concern only; the API takes it once.
        data = super().clean()
        if data.get("new_password") != data.get("confirm_password"):
            self.add_error("confirm_password", "The passwords don't match.")
        return data


class RootPasswordForm(NewPasswordForm):
    field_order = ["current_password", "new_password", "confirm_password"]

    current_password = ServiceCheckedField(
        label="Current password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RecoveryEmailForm(ServiceCheckedForm):
    email = ServiceCheckedField(label="Root user email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class RecoveryAnswersForm(NewPasswordForm):
    """One answer per security challenge question the account set, then the new password."""

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        answers = {
            f"answer_{position}": ServiceCheckedField(
                label=question, widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"})
            )
            for position, question in enumerate(questions, start=1)
        }
        self.fields = {**answers, **self.fields}


class SupportPlanForm(ServiceCheckedForm):
    plan = ServiceCheckedField(label="Support plan", widget=forms.RadioSelect(choices=SupportPlan.choices))


class BillingAccessForm(ServiceCheckedForm):
    enabled = forms.BooleanField(label="Activate IAM access", required=False)


class ChallengeQuestionsForm(ServiceCheckedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a question")] + [(question, question) for question in CHALLENGE_QUESTIONS]
        for position in (1, 2, 3):
            self.fields[f"question_{position}"] = ServiceCheckedField(
                label=f"Question {position}", widget=forms.Select(choices=choices)
            )
            self.fields[f"answer_{position}"] = ServiceCheckedField(
                label=f"Answer {position}", widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"})
            )


class AliasForm(ServiceCheckedForm):
    alias = ServiceCheckedField(
        label="Preferred alias",
        strip=False,
        help_text="3–63 lowercase letters, digits and hyphens; not starting or ending with a hyphen.",
    )


class CloseAccountForm(ServiceCheckedForm):
    confirmation = ServiceCheckedField(label="Type the account ID to confirm")
