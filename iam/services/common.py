"""Helpers shared by the IAM write services."""

from django.core.exceptions import ValidationError as ModelValidationError

from ..exceptions import UnmodifiableEntity, ValidationError


def validated(instance, *, exclude=None):
    """Run the model's field validators; the first failure becomes an IAM ValidationError on that field."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False, validate_unique=False)
    except ModelValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationError(messages[0], field=field) from error
    return instance


def ensure_modifiable(identity) -> None:
    """Service-linked roles are changed only by their service (their description excepted)."""
    if getattr(identity, "is_service_linked", False):
        raise UnmodifiableEntity(
            f"Cannot perform the operation on the protected role '{identity.name}' - "
            "this role is only modifiable by AWS"
        )
