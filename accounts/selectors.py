"""Reads on accounts. The principal-taking ones check IAM exactly as the API operation would."""

from dataclasses import dataclass
from datetime import datetime

from iam.principals import Principal

from . import regions
from .countries import seller
from .exceptions import FieldProblem, ResourceNotFoundException, ValidationException
from .models import (
    Account,
    AccountStatus,
    AlternateContact,
    AlternateContactType,
    ContactInformation,
    RegionOptIn,
    RootRecovery,
    SecurityChallengeAnswer,
)
from .permissions import allows, alternate_contact_context, region_context, require
from .services.contacts import NO_ALTERNATE_CONTACT, valid_contact_type
from .services.regions import current_status, known_region
from .validation import REGION_OPT_STATUSES

# GetAccountInformation's AccountState: a closed account is SUSPENDED until the post-closure period ends.
ACCOUNT_STATES = {AccountStatus.ACTIVE: "ACTIVE", AccountStatus.CLOSED: "SUSPENDED", AccountStatus.TERMINATED: "CLOSED"}


def find_account_by_reference(reference: str) -> Account | None:
    """The account a sign-in URL or form names: its 12-digit ID or its alias."""
    reference = (reference or "").strip()
    if not reference:
        return None
    lookup = {"account_id": reference} if reference.isdigit() else {"alias": reference.lower()}
    return Account.objects.filter(**lookup).first()


def find_account_by_root_email(email: str) -> Account | None:
    return Account.objects.filter(root_email__iexact=(email or "").strip()).first()


@dataclass(frozen=True)
class AccountInformation:
    account_id: str
    account_name: str
    account_created_date: datetime
    account_state: str


def get_account_information(principal: Principal) -> AccountInformation:
    require(principal, "account:GetAccountInformation")
    account = principal.account
    return AccountInformation(account.account_id, account.name, account.created_at, ACCOUNT_STATES[account.status])


def account_seller(account: Account) -> str:
    """AWS, or AISPL when the contact address is in India (an account without one is with AWS)."""
    country = ContactInformation.objects.filter(account=account).values_list("country_code", flat=True).first()
    return seller(country)


def get_contact_information(principal: Principal) -> ContactInformation:
    require(principal, "account:GetContactInformation")
    # The phone verification comes along (for VerificationStatus) in the same query.
    contact = ContactInformation.objects.select_related("account__phone_verification").filter(
        account=principal.account).first()
    if contact is None:
        raise ResourceNotFoundException("No contact information found for this account.")
    return contact


def get_alternate_contact(principal: Principal, contact_type: str) -> AlternateContact:
    contact_type = valid_contact_type(contact_type)
    require(principal, "account:GetAlternateContact", alternate_contact_context(contact_type))
    contact = AlternateContact.objects.filter(account=principal.account, contact_type=contact_type).first()
    if contact is None:
        raise ResourceNotFoundException(NO_ALTERNATE_CONTACT)
    return contact


@dataclass(frozen=True)
class AlternateContactSlot:
    """One of the three alternate contact types as the console shows it to this principal."""

    contact_type: str
    label: str
    contact: AlternateContact | None
    may_view: bool
    may_edit: bool
    may_remove: bool


def alternate_contact_slots(principal: Principal) -> list[AlternateContactSlot]:
    existing = {contact.contact_type: contact for contact in AlternateContact.objects.filter(account=principal.account)}
    slots = []
    for contact_type, label in AlternateContactType.choices:
        context = alternate_contact_context(contact_type)
        may_view = allows(principal, "account:GetAlternateContact", context)
        slots.append(
            AlternateContactSlot(
                contact_type,
                label,
                existing.get(contact_type) if may_view else None,
                may_view,
                allows(principal, "account:PutAlternateContact", context),
                allows(principal, "account:DeleteAlternateContact", context),
            )
        )
    return slots


@dataclass(frozen=True)
class RegionState:
    region_name: str
    region_opt_status: str
    display_name: str
    opt_in: bool
    changed_at: datetime | None = None


def _region_states(account: Account) -> list[RegionState]:
    stored = {opt_in.region_name: opt_in for opt_in in RegionOptIn.objects.filter(account=account)}
    states = []
    for name in regions.REGIONS:
        opt_in = stored.get(name)
        states.append(
            RegionState(
                name,
                current_status(opt_in, name),
                regions.region_display_name(name),
                regions.is_opt_in(name),
                opt_in.changed_at if opt_in else None,
            )
        )
    return states


def list_regions(principal: Principal, statuses: list[str] | None = None) -> list[RegionState]:
    """ListRegions, sorted by Region code; `statuses` is RegionOptStatusContains."""
    require(principal, "account:ListRegions")
    unknown = [status for status in statuses or [] if status not in REGION_OPT_STATUSES]
    if unknown:
        problem = FieldProblem(
            "RegionOptStatusContains",
            f"Unknown status {', '.join(unknown)}; use {', '.join(REGION_OPT_STATUSES)}.",
            "statuses",
        )
        raise ValidationException(problem.message, field_list=[problem])
    states = _region_states(principal.account)
    return [state for state in states if not statuses or state.region_opt_status in statuses]


def get_region_opt_status(principal: Principal, region_name: str) -> RegionState:
    region_name = known_region(region_name)
    require(principal, "account:GetRegionOptStatus", region_context(region_name))
    opt_in = RegionOptIn.objects.filter(account=principal.account, region_name=region_name).first()
    return RegionState(
        region_name,
        current_status(opt_in, region_name),
        regions.region_display_name(region_name),
        regions.is_opt_in(region_name),
        opt_in.changed_at if opt_in else None,
    )


def list_account_aliases(principal: Principal) -> list[str]:
    require(principal, "iam:ListAccountAliases")
    alias = Account.objects.filter(pk=principal.account.pk).values_list("alias", flat=True).first()
    return [alias] if alias else []


def security_challenge_questions(principal: Principal) -> list[str]:
    """The chosen questions (never the answers)."""
    require(principal, "aws-portal:ViewAccount")
    return list(principal.account.challenge_answers.values_list("question", flat=True))


def root_recovery_questions(email: str) -> list[str] | None:
    """Root account recovery: the challenge questions to answer once the emailed code was
    accepted (an empty list when the account never set any); None while it hasn't been."""
    pending = RootRecovery.objects.filter(account__root_email__iexact=(email or "").strip(), code_verified=True).first()
    if pending is None:
        return None
    return list(SecurityChallengeAnswer.objects.filter(account=pending.account_id).values_list("question", flat=True))
