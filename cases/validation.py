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
