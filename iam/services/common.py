"""Helpers shared by the IAM write services."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction

from ..exceptions import UnmodifiableEntity, ValidationError


def validated(instance, *, exclude=None):
    """Run the model's field validators; the first failure becomes an IAM ValidationError on that field.

    A relation given as an object the caller read (the account, a user) is not looked up again."""
    loaded = [field.name for field in instance._meta.concrete_fields if field.is_relation and field.is_cached(instance)]
    try:
        instance.full_clean(exclude=[*(exclude or ()), *loaded], validate_constraints=False, validate_unique=False)
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


def validate_credential_status(status: str) -> str:
    """Active or Inactive: what a key, certificate or credential can be set to (Expired is IAM's own doing)."""
    if status not in ("Active", "Inactive"):
        raise ValidationError(
            f"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: "
            "Member must satisfy enum value set: [Active, Inactive]",
            field="status",
        )
    return status


@transaction.atomic
def set_credential_status(credential, status: str) -> None:
    """Activate or deactivate an access key, SSH public key, signing certificate or service-specific credential."""
    type(credential).objects.filter(pk=credential.pk).update(status=validate_credential_status(status))
    credential.status = status


@transaction.atomic
def delete_credential(credential) -> None:
    credential.delete()
