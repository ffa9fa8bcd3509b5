from .contacts import alternate_contacts, challenge_questions, contact_information, delete_alternate_contact, edit_alternate_contact
from .details import close, home, request_reopen
from .recovery import recover
from .settings import alias, billing_access, delete_alias, disable_region, enable_region, region_list, support_plan

__all__ = [
    "alias",
    "alternate_contacts",
    "billing_access",
    "challenge_questions",
    "close",
    "contact_information",
    "delete_alias",
    "delete_alternate_contact",
    "disable_region",
    "edit_alternate_contact",
    "enable_region",
    "home",
    "recover",
    "region_list",
    "request_reopen",
    "support_plan",
]
