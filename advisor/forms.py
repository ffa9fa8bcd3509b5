from django import forms

from .models import Category, CheckStatus


class WeeklySummaryForm(forms.Form):
    recipient = forms.EmailField(
        label="Weekly summary recipient",
        required=False,
        help_text="Trusted Advisor emails a summary of your check results once a week. Leave empty to stop it.",
    )


class NotificationRuleForm(forms.Form):
    check_id = forms.ChoiceField(label="Check", required=False)
    status = forms.ChoiceField(label="When the status changes to", choices=CheckStatus.choices)
    recipient = forms.EmailField(label="Email", help_text="Who receives the notification.")

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_id"].choices = [("", "Any check")] + [(check.id, check.name) for check in checks]


class DashboardFilterForm(forms.Form):
    """The dashboard's category navigation and status filter (?category=security&status=error); both optional."""

    category = forms.ChoiceField(label="Category", required=False, choices=[("", "All categories"), *Category.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All statuses"), *CheckStatus.choices])
