"""Tags on IAM users and roles (what aws:PrincipalTag/<key> conditions read about the caller), MFA devices and policies."""

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


def validate_tag(key: str, value: str) -> None:
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


def validate_new_tags(tags: dict[str, str], quota: str) -> None:
    """Tags given when something is created: each valid, and no more than IAM's quota."""
    for key, value in tags.items():
        validate_tag(key, value)
    if len(tags) > TAGS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for {quota}: {TAGS_PER_IDENTITY}")


def _check_identity(identity) -> None:
    if not kind_of(identity).taggable:
        raise ValidationError(f"IAM {kind_of(identity).key}s cannot be tagged.")
    ensure_modifiable(identity)


def merge_tags(taggable, tags: dict[str, str], quota: str) -> dict[str, str]:
    """Add or overwrite tags of anything with a `tags` field; keys compare case-insensitively, as in IAM."""
    for key, value in tags.items():
        validate_tag(key, value)
    merged = dict(type(taggable).objects.select_for_update().get(pk=taggable.pk).tags)
    for key, value in tags.items():
        for existing in [name for name in merged if name.lower() == key.lower()]:
            del merged[existing]
        merged[key] = value
    if len(merged) > TAGS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for {quota}: {TAGS_PER_IDENTITY}")
    taggable.tags = merged
    taggable.save(update_fields=["tags"])
    return merged


def remove_tags(taggable, keys: list[str]) -> dict[str, str]:
    """Remove tags by key (case-insensitively); a key that is not there is ignored, as in IAM."""
    wanted = {key.lower() for key in keys}
    current = type(taggable).objects.select_for_update().get(pk=taggable.pk).tags
    taggable.tags = {key: value for key, value in current.items() if key.lower() not in wanted}
    taggable.save(update_fields=["tags"])
    return taggable.tags


@transaction.atomic
def tag_identity(identity, tags: dict[str, str]) -> dict[str, str]:
    _check_identity(identity)
    return merge_tags(identity, tags, f"TagsPer{kind_of(identity).noun}")


@transaction.atomic
def untag_identity(identity, keys: list[str]) -> dict[str, str]:
    _check_identity(identity)
    return remove_tags(identity, keys)
