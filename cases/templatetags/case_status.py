from django import template
from django.utils.html import format_html

from cases.models import CaseStatus

register = template.Library()

# The design system's badge kinds (static/: badge-ok, badge-warn, ...) for a case's status.
_BADGE_KINDS = {
    CaseStatus.RESOLVED: "ok",
    CaseStatus.PENDING_CUSTOMER_ACTION: "warn",
    CaseStatus.UNASSIGNED: "muted",
}


@register.simple_tag
def case_status_badge(case) -> str:
    """The case's status as a badge: a tag, not an include, as the Support Center list shows one a row."""
    kind = _BADGE_KINDS.get(case.status, "info")
    return format_html('<span class="badge badge-{}" data-testid="case-status">{}</span>', kind, case.get_status_display())
