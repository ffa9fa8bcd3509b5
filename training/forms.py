from django import forms

from accounts.models import SupportPlan

from .models import MAX_PICKUP_DELAY_MINUTES, MAX_TIME_SPEED_FACTOR
from .passwords import RULES
from .services.cohorts import MAX_COHORT_SIZE


class PracticeSignUpForm(forms.Form):
    email = forms.EmailField(
        label="Root user email address",
        max_length=254,
        help_text="You sign in with it. Practice accounts never send email.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Root user password",
        strip=False,
        max_length=128,
        help_text=RULES,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        label="Confirm root user password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    support_plan = forms.ChoiceField(
        label="Support plan",
        choices=SupportPlan.choices,
        initial=SupportPlan.BUSINESS,
        widget=forms.RadioSelect,
        help_text="Business or Enterprise lets you practise every case severity.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("confirm_password") not in (None, cleaned["password"]):
            self.add_error("confirm_password", "The passwords do not match.")
        return cleaned


class EngineerSettingsForm(forms.Form):
    simulated_engineer = forms.BooleanField(label="Simulated support engineer answers my cases", required=False)
    time_speed_factor = forms.IntegerField(
        label="Time speed",
        min_value=1,
        max_value=MAX_TIME_SPEED_FACTOR,
        help_text="Response targets are divided by this: 60 rehearses a 24-hour target in 24 minutes.",
    )
    pickup_delay_minutes = forms.IntegerField(
        label="Pick-up delay (simulated minutes)",
        min_value=0,
        max_value=MAX_PICKUP_DELAY_MINUTES,
        help_text="How long the engineer takes to pick up a new case or come back to your reply, before the time speed applies.",
    )


class CohortForm(forms.Form):
    name = forms.CharField(label="Cohort name", max_length=100)
    size = forms.IntegerField(label="Number of practice accounts", min_value=1, max_value=MAX_COHORT_SIZE)
    support_plan = forms.ChoiceField(label="Support plan", choices=SupportPlan.choices, initial=SupportPlan.BUSINESS)


class CohortMessageForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
