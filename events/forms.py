from django import forms

READ_ONLY_CHOICES = [("", "Read and write"), ("true", "Read-only"), ("false", "Write only")]


class EventFilterForm(forms.Form):
    """The event history's lookup attributes and time range; all optional."""

    event_name = forms.CharField(required=False, max_length=128, label="Event name")
    # No help text: every filter is a label over one control, so the controls line up in the filter grid.
    event_source = forms.CharField(required=False, max_length=64, label="Event source",
                                   widget=forms.TextInput(attrs={"placeholder": "support.amazonaws.com"}))
    user_name = forms.CharField(required=False, max_length=128, label="User name")
    access_key_id = forms.CharField(required=False, max_length=20, label="AWS access key")
    event_id = forms.UUIDField(required=False, label="Event ID")
    read_only = forms.TypedChoiceField(
        required=False, choices=READ_ONLY_CHOICES, label="Read-only",
        coerce=lambda value: value == "true", empty_value=None,
    )
    start = forms.DateTimeField(required=False, label="From (UTC)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(required=False, label="To (UTC)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the time range must be after its start.")
        return cleaned
