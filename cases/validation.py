"""Checks on what people type, shared by the create form, the reply form and the API."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .exceptions import CaseValidationError

MAX_SUBJECT = 250
MAX_BODY = 5000
MAX_CC_TEXT = 200
MAX_CC_ADDRESSES = 10  # CcEmailAddressList in the API model
_CC_SEPARATORS = re.compile(r"[,;]")


def parse_cc_addresses(text: str) -> list[str]:
    """'a@x.com; b@y.org, c@z.net' -> the addresses; each must be a valid email address."""
    if len(text) > MAX_CC_TEXT:
        raise CaseValidationError(
            f"Additional contacts can be at most {MAX_CC_TEXT} characters (you entered {len(text)}).",
            field="cc_email_addresses",
        )
    addresses = [part.strip() for part in _CC_SEPARATORS.split(text) if part.strip()]
    return check_cc_addresses(addresses)


def check_cc_addresses(addresses) -> list[str]:
    addresses = list(addresses)
    if len(addresses) > MAX_CC_ADDRESSES:
        raise CaseValidationError(
            f"Enter at most {MAX_CC_ADDRESSES} additional contacts.", field="cc_email_addresses"
        )
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise CaseValidationError(
                f"“{address}” is not a valid email address. Separate addresses with commas or semicolons.",
                field="cc_email_addresses",
            ) from None
    return addresses


def check_text(value: str, *, field: str, label: str, limit: int) -> str:
    """The text, each line break made one newline character: browsers send two (CR LF), the live counter counts one."""
    value = (value or "").replace("\r\n", "\n")
    if not value.strip():
        raise CaseValidationError(f"Enter a {label.lower()}.", field=field)
    if len(value) > limit:
        raise CaseValidationError(
            f"The {label.lower()} can be at most {limit} characters (you entered {len(value)}).", field=field
        )
    return value


# E.164: a plus, a country code and at most 15 digits; people type spaces, hyphens, dots and brackets between them.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 8, 15


def check_phone_number(value: str, *, field: str = "callback_number") -> str:
    """The number in E.164 form ('+1 (206) 555-0100' -> '+12065550100'), or CaseValidationError saying what is wrong."""
    typed = (value or "").strip()
    if not typed:
        raise CaseValidationError("Enter a number we can call you back on.", field=field)
    number = _PHONE_SEPARATORS.sub("", typed)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        raise CaseValidationError(
            "Start the number with + and its country code, for example +1 206 555 0100.", field=field
        )
    digits = number[1:]
    if not digits.isascii() or not digits.isdigit():
        raise CaseValidationError(
            "A phone number can contain only digits after the +, with spaces, hyphens, dots or brackets between them.",
            field=field,
        )
    if digits.startswith("0"):
        raise CaseValidationError("Country codes don't start with 0: enter the number as +<country code> <number>.", field=field)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise CaseValidationError(
            f"A phone number with its country code has {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits "
            f"(you entered {len(digits)}).",
            field=field,
        )
    return number
