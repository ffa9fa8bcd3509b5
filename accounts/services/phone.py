"""Verifying the primary contact's phone number with a one-time code (SendPhoneNumberVerification, VerifyPhoneNumber).

The sandbox has no SMS: the "text message" is delivered to the account's sandbox mailbox (the root user's
address, tagged with the account), so a trainee reads it in the Inbox like every other code.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from iam.principals import Principal

from ..exceptions import ConflictException, ResourceNotFoundException
from ..models import ContactInformation, PhoneVerification
from ..permissions import require
from .codes import code_refusal, email_code_on_commit, issue_code, limit_guessing, limit_sending

PHONE_VERIFICATION = "phone-verification"
PENDING, VERIFIED, UNVERIFIED = "PENDING", "VERIFIED", "UNVERIFIED"


def phone_status(contact: ContactInformation, verification: PhoneVerification | None, now: datetime) -> str:
    """The VerificationStatus of the contact's current number."""
    if verification is None or verification.phone_number != contact.phone_number:
        return UNVERIFIED
    if verification.verified_at is not None:
        return VERIFIED
    return PENDING if verification.expires_at > now else UNVERIFIED


def contact_phone_status(contact: ContactInformation) -> str:
    """GetContactInformation's VerificationStatus (the selector brings the verification along with the contact)."""
    try:
        verification = contact.account.phone_verification
    except PhoneVerification.DoesNotExist:
        verification = None
    return phone_status(contact, verification, timezone.now())


def _contact(principal: Principal) -> ContactInformation:
    contact = ContactInformation.objects.filter(account=principal.account).first()
    if contact is None:
        raise ResourceNotFoundException("No contact information found for this account.")
    return contact


@transaction.atomic
def send_phone_number_verification(principal: Principal, *, now: datetime | None = None) -> str:
    """Text a code to the primary contact's number; returns the status that follows (PENDING)."""
    require(principal, "account:SendPhoneNumberVerification")
    now = now or timezone.now()
    contact = _contact(principal)
    verification = PhoneVerification.objects.select_for_update().filter(account=principal.account).first()
    if phone_status(contact, verification, now) == VERIFIED:
        raise ConflictException("The phone number in the primary contact information is already verified.")
    limit_sending(f"phone:{contact.phone_number}", principal.source_ip or None)
    code = issue_code(PhoneVerification, principal.account, PHONE_VERIFICATION, now,
                      phone_number=contact.phone_number, verified_at=None)
    email_code_on_commit(
        principal.account.root_email,
        f"Text message to {contact.phone_number}: AWS phone verification code",
        code,
        f"The sandbox delivers text messages for account {principal.account.account_id} here. Submit the code "
        "with VerifyPhoneNumber to verify the primary contact phone number.",
        account=principal.account,
    )
    return PENDING


def verify_phone_number(principal: Principal, code: str, *, now: datetime | None = None) -> str:
    """Check the texted code; wrong guesses are recorded even though the call fails (committed before raising)."""
    require(principal, "account:VerifyPhoneNumber")
    limit_guessing(f"phone-account:{principal.account.account_id}", principal.source_ip or None)
    with transaction.atomic():
        refusal = _check_phone_code(principal, (code or "").strip(), now or timezone.now())
    if refusal:
        raise refusal
    return VERIFIED


def _check_phone_code(principal: Principal, code: str, now: datetime) -> Exception | None:
    contact = _contact(principal)
    verification = PhoneVerification.objects.select_for_update().filter(account=principal.account).first()
    if verification is None or verification.verified_at is not None or not verification.code_hash:
        return ConflictException("There is no phone number verification waiting for a code. "
                                 "Call SendPhoneNumberVerification first.")
    if verification.phone_number != contact.phone_number:
        return ConflictException("The primary contact phone number changed after the code was sent. "
                                 "Call SendPhoneNumberVerification again.")
    refusal = code_refusal(verification, PHONE_VERIFICATION, code, now)
    if refusal:
        return refusal
    verification.verified_at, verification.code_hash = now, ""
    verification.save(update_fields=["verified_at", "code_hash"])
    return None
