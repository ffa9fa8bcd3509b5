"""Template helpers of the design system (templates/includes/)."""

from django import template

register = template.Library()


@register.filter
def control(field):
    """Render a bound field's widget tied to its description, constraint and errors for screen readers.

    The ids are the ones templates/includes/field.html gives those paragraphs.
    """
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if getattr(field.field, "constraint", ""):
        described_by.append(f"{field.auto_id}_constraint")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
