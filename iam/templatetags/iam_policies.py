from django import template

from ..policy_review import pretty_document

register = template.Library()


@register.filter
def pretty_policy(text: str) -> str:
    """A stored policy document indented for reading."""
    return pretty_document(text)
