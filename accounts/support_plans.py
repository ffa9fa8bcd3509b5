"""What each AWS Support plan gives (shown on the plan page)."""

from .models import SupportPlan

PLAN_BENEFITS = {
    SupportPlan.BASIC: (
        "Customer Service for account and billing questions",
        "Documentation, whitepapers and re:Post forums",
        "No technical support cases",
    ),
    SupportPlan.DEVELOPER: (
        "Technical support by email during business hours (one primary contact)",
        "General guidance: response within 24 business hours",
        "System impaired: response within 12 business hours",
    ),
    SupportPlan.BUSINESS: (
        "24/7 technical support by phone, email and chat for all your IAM users",
        "Production system impaired: response within 4 hours",
        "Production system down: response within 1 hour",
    ),
    SupportPlan.ENTERPRISE: (
        "Everything in Business, plus a designated Technical Account Manager",
        "Business-critical system down: response within 15 minutes",
        "Concierge support for account and billing",
    ),
}
