from django import forms

from .exceptions import MalformedPolicyDocument
from .identity_kinds import MANAGED_POLICIES_PER_IDENTITY


class RootSignInForm(forms.Form):
    email = forms.EmailField(label="Root user email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class IAMUserSignInForm(forms.Form):
    account = forms.CharField(
        label="Account ID (12 digits) or account alias",
        max_length=63,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    user_name = forms.CharField(label="IAM user name", max_length=64, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def add_service_error(form: forms.Form, error) -> None:
    """Show an IAM service error beside the field it names (a malformed policy beside the
    form's policy document), or above the form."""
    field = error.field if error.field in form.fields else None
    if field is None and isinstance(error, MalformedPolicyDocument):
        field = next((name for name, f in form.fields.items() if isinstance(f, PolicyDocumentField)), None)
    form.add_error(field, error.message)


class MFACodeForm(forms.Form):
    code = forms.RegexField(
        label="MFA code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the six-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class MFAPairForm(forms.Form):
    """Two consecutive codes: for activating and for resynchronising a device."""

    authentication_code_1 = forms.RegexField(
        label="MFA code 1", regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the six-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    authentication_code_2 = forms.RegexField(
        label="MFA code 2", regex=r"^\s*\d{6}\s*$",
        help_text="Wait for the code to change, then enter the next one.",
        error_messages={"invalid": "Enter the six-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _password_field(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(label=label, strip=False, max_length=256,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}, render_value=True))


class NewPasswordForm(forms.Form):
    old_password = _password_field("Old password", "current-password")
    new_password = _password_field("New password")
    confirm_password = _password_field("Retype new password")

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("confirm_password"):
            self.add_error("confirm_password", "The passwords do not match.")
        return data


class ConsolePasswordForm(forms.Form):
    password = _password_field("Console password")
    reset_required = forms.BooleanField(
        label="User must create a new password at next sign-in", required=False, initial=True
    )


class NamePathForm(forms.Form):
    name = forms.CharField(max_length=128)
    path = forms.CharField(max_length=512, initial="/", help_text="Begins and ends with /, e.g. /division/team/.")


class GroupCreateForm(NamePathForm):
    name = forms.CharField(label="User group name", max_length=128)


STARTER_POLICY = """{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [],
            "Resource": "*"
        }
    ]
}"""


class PolicyDocumentField(forms.CharField):
    """A policy's JSON. Pages show it in the policy editor (iam/includes/policy_editor.html), which checks
    it as it is typed against the size quota of its `purpose` (a key of iam.policy_review.SIZE_LIMITS)."""

    def __init__(self, *, purpose: str = "managed", **kwargs):
        kwargs.setdefault("label", "Policy document (JSON)")
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 16, "class": "code", "spellcheck": "false"}))
        super().__init__(strip=False, **kwargs)
        self.policy_purpose = purpose


class RoleEditForm(forms.Form):
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    max_session_hours = forms.IntegerField(label="Maximum session duration (hours)", help_text="Between 1 and 12 hours.")


class RoleDescriptionForm(forms.Form):
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TrustPolicyForm(forms.Form):
    trust_policy = PolicyDocumentField(label="Trust policy", purpose="trust")


class PolicyCreateForm(NamePathForm):
    name = forms.CharField(label="Policy name", max_length=128)
    description = forms.CharField(max_length=1000, required=False)
    document = PolicyDocumentField()


class PolicyVersionForm(forms.Form):
    document = PolicyDocumentField()
    set_as_default = forms.BooleanField(label="Set as default version", required=False, initial=True)


class InlinePolicyForm(forms.Form):
    name = forms.CharField(label="Policy name", max_length=128)
    document = PolicyDocumentField()


class GroupMembershipForm(forms.Form):
    user_name = forms.ChoiceField(label="User")

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_name"].choices = [(user.name, user.name) for user in users]


class PasswordPolicyForm(forms.Form):
    minimum_length = forms.IntegerField(label="Minimum password length", initial=8, help_text="6 to 128 characters.")
    require_uppercase = forms.BooleanField(label="Require at least one uppercase letter from the Latin alphabet (A–Z)", required=False)
    require_lowercase = forms.BooleanField(label="Require at least one lowercase letter from the Latin alphabet (a–z)", required=False)
    require_numbers = forms.BooleanField(label="Require at least one number", required=False)
    require_symbols = forms.BooleanField(label="Require at least one non-alphanumeric character ( ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' )", required=False)
    max_age_days = forms.IntegerField(label="Password expiration (days)", required=False, help_text="1 to 1095 days; empty: passwords never expire.")
    hard_expiry = forms.BooleanField(label="Password expiration requires administrator reset", required=False)
    allow_users_to_change = forms.BooleanField(label="Allow users to change their own password", required=False)
    reuse_prevention = forms.IntegerField(label="Prevent password reuse (remember this many)", required=False, help_text="1 to 24; empty: reuse allowed.")


class SimulatorForm(forms.Form):
    MODES = (("principal", "A user, group or role"), ("custom", "Policies I paste"))
    mode = forms.ChoiceField(label="Simulate", choices=MODES, initial="principal", widget=forms.RadioSelect)
    source_arn = forms.ChoiceField(label="User, group or role", required=False)
    custom_policy = PolicyDocumentField(
        label="Policy to simulate (JSON)", required=False,
        help_text="With a user, group or role: simulated in addition to its own policies, as if attached.",
    )
    actions = forms.CharField(
        label="Actions", help_text="One per line or comma-separated, e.g. iam:CreateUser.",
        widget=forms.Textarea(attrs={"rows": 4, "class": "code"}),
    )
    resource_arn = forms.CharField(label="Resource ARN", initial="*", max_length=2048)
    boundary_policy = forms.CharField(
        label="Permissions boundary to simulate (JSON)", required=False, strip=False,
        help_text="Optional: caps what the policies allow, in place of the user's or role's own boundary.",
        widget=forms.Textarea(attrs={"rows": 4, "class": "code", "spellcheck": "false"}),
    )
    resource_policy = forms.CharField(
        label="Resource-based policy (JSON)", required=False, strip=False,
        help_text="Optional, with a user, group or role: the resource's own policy; statements must name a Principal.",
        widget=forms.Textarea(attrs={"rows": 4, "class": "code", "spellcheck": "false"}),
    )
    context = forms.CharField(
        label="Context keys", required=False,
        help_text="One per line: key = value (several values separated by commas), e.g. aws:MultiFactorAuthPresent = true.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "code"}),
    )

    def __init__(self, *args, identities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_arn"].choices = [("", "—")] + [(identity.arn, identity.arn) for identity in identities]

    def clean_actions(self):
        actions = [item.strip() for item in self.cleaned_data["actions"].replace(",", "\n").splitlines() if item.strip()]
        bad = [action for action in actions if ":" not in action]
        if bad:
            raise forms.ValidationError(f"Actions look like service:Operation; {bad[0]!r} does not.")
        return actions

    def clean_context(self):
        context = {}
        for number, line in enumerate(self.cleaned_data["context"].splitlines(), start=1):
            if not line.strip():
                continue
            key, separator, value = line.partition("=")
            if not separator or not key.strip():
                raise forms.ValidationError(f"Line {number}: write key = value.")
            values = [item.strip() for item in value.split(",")]
            context[key.strip()] = values if len(values) > 1 else values[0]
        return context

    def clean(self):
        data = super().clean()
        if data.get("mode") == "principal" and not data.get("source_arn"):
            self.add_error("source_arn", "Choose a user, group or role.")
        if data.get("mode") == "custom" and not (data.get("custom_policy") or "").strip():
            self.add_error("custom_policy", "Paste a policy to simulate.")
        if data.get("mode") == "custom" and (data.get("resource_policy") or "").strip():
            self.add_error("resource_policy", "A resource-based policy is simulated for a user, group or role.")
        return data


class TagForm(forms.Form):
    key = forms.CharField(label="Key", max_length=128, help_text="For example Team or CostCenter. Keys starting with aws: are reserved.")
    value = forms.CharField(label="Value", max_length=256, required=False, strip=False)


# --- the create wizards ---------------------------------------------------------------------------------------


class UserDetailsForm(NamePathForm):
    """Create user, step 1: "Specify user details"."""

    name = forms.CharField(label="User name", max_length=64,
                           help_text="Up to 64 letters, digits and + = , . @ _ -. Names are not case sensitive.")
    console_access = forms.BooleanField(label="Provide user access to the AWS Management Console", required=False)
    password = forms.CharField(
        label="Console password", required=False, strip=False, max_length=256,
        help_text="Must meet the account's password policy.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    reset_required = forms.BooleanField(label="Users must create a new password at next sign-in (recommended)",
                                        required=False, initial=True)

    def __init__(self, *args, password_kept: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.password_kept = password_kept  # coming back to this step: the password entered before still stands
        if password_kept:
            self.fields["password"].help_text = "Leave empty to keep the password you entered before."

    def clean(self):
        data = super().clean()
        if data.get("console_access") and not data.get("password") and not self.password_kept:
            self.add_error("password", "Enter a console password, or clear “Provide user access to the AWS Management Console”.")
        return data


class RoleNameForm(NamePathForm):
    """Create role, last step: "Name, review, and create"."""

    name = forms.CharField(label="Role name", max_length=64,
                           help_text="Up to 64 letters, digits and + = , . @ _ -. Names are not case sensitive.")
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    max_session_hours = forms.IntegerField(label="Maximum session duration (hours)", initial=1, help_text="Between 1 and 12 hours.")


class TrustedEntityForm(forms.Form):
    """Create role, step 1: "Select trusted entity"; the choice becomes the role's trust policy."""

    ENTITY_TYPES = (
        ("this_account", "This AWS account: its users and roles with sts:AssumeRole permission may assume the role"),
        ("other_account", "Another AWS account"),
        ("service", "AWS service: a service acts for you"),
        ("custom", "Custom trust policy"),
    )
    entity_type = forms.ChoiceField(label="Trusted entity type", choices=ENTITY_TYPES, initial="this_account",
                                    widget=forms.RadioSelect)
    other_account_id = forms.RegexField(label="Account ID (for another AWS account)", regex=r"^\d{12}$", required=False,
                                        error_messages={"invalid": "An account ID is 12 digits."})
    service = forms.RegexField(label="Service principal (for an AWS service)", regex=r"^[a-z0-9.-]+\.amazonaws\.com$",
                               required=False, widget=forms.TextInput(attrs={"placeholder": "support.amazonaws.com"}),
                               error_messages={"invalid": "A service principal looks like service.amazonaws.com."})
    trust_policy = PolicyDocumentField(label="Custom trust policy (for a custom trust policy)", purpose="trust", required=False)

    def clean(self):
        data = super().clean()
        needed = {"other_account": "other_account_id", "service": "service", "custom": "trust_policy"}.get(data.get("entity_type"))
        if needed and not (data.get(needed) or "").strip() and needed not in self.errors:
            self.add_error(needed, "Required for the trusted entity type you chose.")
        return data


class TagLinesField(forms.CharField):
    """Tags typed one per line as Key=Value (the value may be empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Tags")
        kwargs.setdefault("help_text", "One per line: Key=Value, e.g. Team=Support. Up to 50.")
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "class": "code", "spellcheck": "false"}))
        super().__init__(required=False, strip=False, **kwargs)

    def clean(self, value):
        tags = {}
        for number, line in enumerate((super().clean(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, separator, tag_value = line.partition("=")
            if not separator or not key.strip():
                raise forms.ValidationError(f"Line {number}: write Key=Value.")
            tags[key.strip()] = tag_value.strip()
        return tags


class WizardTagsForm(forms.Form):
    tags = TagLinesField()


class WizardPermissionsForm(forms.Form):
    """The permissions step: groups to join (users only) and managed policies to attach directly."""

    groups = forms.MultipleChoiceField(label="User groups", required=False, widget=forms.CheckboxSelectMultiple)
    policies = forms.MultipleChoiceField(label="Permissions policies", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, groups=(), policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(group.name, group.name) for group in groups]
        self.fields["policies"].choices = [(policy.arn, policy.name) for policy in policies]

    def clean_policies(self):
        chosen = self.cleaned_data["policies"]
        if len(chosen) > MANAGED_POLICIES_PER_IDENTITY:
            raise forms.ValidationError(f"Choose at most {MANAGED_POLICIES_PER_IDENTITY} policies; you chose {len(chosen)}.")
        return chosen
