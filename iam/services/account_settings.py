"""Account-wide IAM settings a script can change: the STS global endpoint's token version and account properties."""

import re

from django.db import transaction

from accounts.models import Account

from ..exceptions import InvalidInput
from ..models import IAMAccountSettings

TOKEN_VERSIONS = {"v1Token": 1, "v2Token": 2}
_PROPERTY_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*/[A-Za-z0-9_-]+")
PROPERTY_KEY_LENGTH = 50
PROPERTY_VALUE_LENGTH = 1024


@transaction.atomic
def set_global_endpoint_token_version(account: Account, version: str) -> None:
    """v1Token: STS global endpoint tokens valid only in Regions enabled by default; v2Token: in every Region."""
    if version not in TOKEN_VERSIONS:
        raise InvalidInput(f"Invalid global endpoint token version {version}: use one of {', '.join(TOKEN_VERSIONS)}.")
    IAMAccountSettings.objects.update_or_create(
        account=account, defaults={"global_endpoint_token_version": TOKEN_VERSIONS[version]})


def account_properties(account: Account) -> dict[str, str]:
    settings = IAMAccountSettings.objects.filter(account=account).only("properties").first()
    return settings.properties if settings else {}


@transaction.atomic
def put_account_properties(account: Account, properties: dict[str, str]) -> dict[str, str]:
    """Set "Namespace/PropertyName" values, all of one namespace in a request, as IAM requires."""
    if not properties:
        raise InvalidInput("At least one property must be given.")
    for key, value in properties.items():
        if len(key) > PROPERTY_KEY_LENGTH or not _PROPERTY_KEY.fullmatch(key):
            raise InvalidInput(
                f"Invalid property key {key}: use Namespace/PropertyName, with exactly one '/' and at most "
                f"{PROPERTY_KEY_LENGTH} characters (letters, digits, _ and -, starting with a letter).")
        if not 1 <= len(value) <= PROPERTY_VALUE_LENGTH:
            raise InvalidInput(f"The value of {key} must be 1 to {PROPERTY_VALUE_LENGTH} characters long.")
    namespaces = {key.split("/")[0] for key in properties}
    if len(namespaces) > 1:
        raise InvalidInput(f"All properties of a request must belong to one namespace, not {', '.join(sorted(namespaces))}.")
    settings, _ = IAMAccountSettings.objects.select_for_update().get_or_create(account=account)
    settings.properties = {**settings.properties, **properties}
    settings.save(update_fields=["properties"])
    return settings.properties
