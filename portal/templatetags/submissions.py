"""{% submission_token %}: the hidden one-time token of a create or reply form (portal.submissions)."""

import secrets

from django import template
from django.utils.html import format_html

from portal.submissions import FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, secrets.token_urlsafe(24))
