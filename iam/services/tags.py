"""Tags on IAM users and roles: what aws:PrincipalTag/<key> conditions read about the caller."""

import re

from django.db import transaction

from ..exceptions import LimitExceeded, ValidationError
from ..identity_kinds import kind_of
from .common import ensure_modifiable

TAGS_PER_IDENTITY = 50
KEY_LENGTH = 128
VALUE_LENGTH = 256
# Letters, digits, spaces and _ . : / = + - @ in any language, as AWS's tag grammar allows.
_TAG_CHARACTERS = re.compile(r"[\w\s.:/=+\-@]*")


def _validate(key: str, value: str) -> None:
    if not 1 <= len(key) <= KEY_LENGTH or not _TAG_CHARACTERS.fullmatch(key):
        raise ValidationError(
            f"1 validation error detected: Value '{key}' at 'tags.1.member.key' failed to satisfy constraint: "
            f"Member must have length between 1 and {KEY_LENGTH} and contain only letters, digits, spaces "
            "and _ . : / = + - @",
            field="key",
        )
    if key.lower().startswith("aws:"):
        raise ValidationError("Tag keys starting with 'aws:' are reserved for AWS use.", field="key")
    if len(value) > VALUE_LENGTH or not _TAG_CHARACTERS.fullmatch(value):
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'tags.1.member.value' failed to satisfy constraint: "
            f"Member must have length less than or equal to {VALUE_LENGTH} and contain only letters, digits, "
            "spaces and _ . : / = + - @",
            field="value",
        )


def _locked(identity):
    if not kind_of(identity).taggable:
        raise ValidationError(f"IAM {kind_of(identity).key}s cannot be tagged.")
    ensure_modifiable(identity)
    return type(identity).objects.select_for_update().get(pk=identity.pk)


@transaction.atomic
def tag_identity(identity, tags: dict[str, str]) -> dict[str, str]:
    """Add or overwrite tags of a user or role; keys compare case-insensitively, as in IAM."""
    for key, value in tags.items():
        _validate(key, value)
    merged = dict(_locked(identity).tags)
    for key, value in tags.items():
        for existing in [name for name in merged if name.lower() == key.lower()]:
            del merged[existing]
        merged[key] = value
    if len(merged) > TAGS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for TagsPer{kind_of(identity).noun}: {TAGS_PER_IDENTITY}")
    identity.tags = merged
    identity.save(update_fields=["tags"])
    return merged


@transaction.atomic
def untag_identity(identity, keys: list[str]) -> dict[str, str]:
    """Remove tags by key (case-insensitively); a key the identity does not have is ignored, as in IAM."""
    wanted = {key.lower() for key in keys}
    remaining = {key: value for key, value in _locked(identity).tags.items() if key.lower() not in wanted}
    identity.tags = remaining
    identity.save(update_fields=["tags"])
    return remaining
