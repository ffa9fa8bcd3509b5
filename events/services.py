"""Writes on the event history: every API call and every console change lands here."""

from datetime import datetime, timedelta
from functools import lru_cache

from django.utils import timezone

from iam.principals import Principal
from portal.hygiene import shown, shown_deep
from portal.inserts import insert

from .models import Event, EventType

RETENTION = timedelta(days=90)
READ_ONLY_PREFIXES = ("Get", "List", "Describe", "Lookup", "Simulate", "Generate")
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
# Request members whose values never reach the history, whatever the service.
SECRET_WORDS = ("password", "secret", "privatekey", "authenticationcode", "tokencode", "otp", "seed", "csrfmiddlewaretoken",
                "sessiontoken")


def is_read_only(event_name: str) -> bool:
    return event_name.startswith(READ_ONLY_PREFIXES)


def user_identity(principal: Principal, access_key_id: str = "") -> dict:
    """CloudTrail's userIdentity block for the principal that acted (root, IAM user or assumed-role session)."""
    account_id = principal.account.account_id
    identity = {"type": principal.principal_type, "arn": principal.arn, "accountId": account_id}
    if principal.is_role_session:
        role = principal.role
        identity["principalId"] = f"{role.role_id}:{principal.role_session_name}"
        identity["sessionContext"] = {"sessionIssuer": {
            "type": "Role", "principalId": role.role_id, "arn": role.arn, "accountId": account_id, "userName": role.name,
        }}
    elif principal.is_federated_session:
        issuer = principal.user
        identity["principalId"] = f"{account_id}:{principal.federated_user_name}"
        identity["sessionContext"] = {"sessionIssuer": {
            "type": "IAMUser" if issuer else "Root", "principalId": issuer.user_id if issuer else account_id,
            "arn": issuer.arn if issuer else principal.account.root_arn, "accountId": account_id,
            "userName": issuer.name if issuer else "root",
        }}
    else:
        identity["principalId"] = account_id if principal.is_root else principal.user.user_id
    if access_key_id:
        identity["accessKeyId"] = access_key_id
    if principal.user is not None and not principal.is_federated_session:
        identity["userName"] = principal.user.name
    return identity


def without_secrets(value):
    """A copy of request parameters with passwords, secrets and the like replaced."""
    if isinstance(value, dict):
        return {key: HIDDEN if _names_a_secret(key) else without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


@lru_cache(maxsize=4096)
def _names_a_secret(key: str) -> bool:
    # Asked of every member of every call's parameters: the same few hundred names again and again.
    normalized = key.lower().replace("_", "")
    return any(word in normalized for word in SECRET_WORDS)


def record_event(
    principal: Principal,
    *,
    event_source: str,
    event_name: str,
    event_type: str = EventType.API_CALL,
    aws_region: str = "us-east-1",
    access_key_id: str = "",
    request_parameters: dict | None = None,
    response_elements: dict | None = None,
    request_id: str = "",
    error_code: str = "",
    error_message: str = "",
    read_only: bool | None = None,
    source_ip: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
    additional_event_data: dict | None = None,
    identity: dict | None = None,
    defer: bool = False,
    durable: bool = True,
) -> Event:
    """Add one event to the principal's account history.

    Parameters must already be JSON values; secrets are removed here, so callers
    cannot forget to. `identity` replaces the principal's userIdentity block (a failed sign-in
    of a user name that does not exist has no principal of its own). `defer`: written with the other rows an API
    call inserts (portal.inserts); else, with `durable=False`, written alone without waiting for the disk
    (portal.inserts.insert).
    """
    identity = identity or user_identity(principal, access_key_id)
    return insert(Event(
        account=principal.account,
        event_time=now or timezone.now(),
        event_type=event_type,
        event_source=event_source,
        event_name=event_name,
        aws_region=aws_region or "us-east-1",
        read_only=is_read_only(event_name) if read_only is None else read_only,
        user_identity=identity,
        user_name=identity.get("userName", principal.name),
        access_key_id=access_key_id,
        source_ip_address=(principal.source_ip if source_ip is None else source_ip)[:64],
        user_agent=shown(principal.user_agent if user_agent is None else user_agent)[:512],
        # Echoed text is escaped (portal.hygiene): a refused call's NUL must not lose its history line.
        request_parameters=shown_deep(without_secrets(request_parameters)),
        response_elements=shown_deep(without_secrets(response_elements)),
        additional_event_data=additional_event_data,
        request_id=request_id,
        error_code=error_code,
        error_message=shown(error_message),
    ), defer=defer, durable=durable)


def purge_expired_events(now: datetime | None = None) -> int:
    """Drop events older than the 90 days the history keeps."""
    deleted, _ = Event.objects.filter(event_time__lt=(now or timezone.now()) - RETENTION).delete()
    return deleted
