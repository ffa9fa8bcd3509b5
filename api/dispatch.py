"""One API request, end to end: size, signature, operation, input, the handler, the event, the response.

Whatever happens, the caller gets the protocol's own error shape: never an HTML page, never a bare 500.
"""

import logging
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse

from iam.exceptions import AccessDenied
from portal.after_response import after_response
from portal.inserts import NotWritten, provided
from portal.transactions import all_or_nothing
from iam.principals import Principal
from events.services import is_read_only
from iam.access_key_memo import still_unchanged, unchanged_condition
from iam.selectors import current_policies_of, scope_policies, session_policies
from iam.services import access_key_use_due, record_access_key_use

from . import sigv4
from .errors import ApiError, AuthenticationFailure
from .operations import Call, Operations
from .protocols import protocol_for
from .service_models import Service
from .throttling import throttle

logger = logging.getLogger(__name__)

# AddAttachmentsToSet carries up to three 5 MB files, base64-encoded.
DEFAULT_MAX_BODY_BYTES = 24 * 1024 * 1024


@dataclass
class Outcome:
    """What the event history needs to know about one call."""

    service: Service
    request_id: str
    principal: Principal | None = None
    access_key_id: str = ""
    access_key: object = None  # iam.models.AccessKey of a long-term key
    session: object = None  # api.temporary_credentials.Session of temporary credentials
    region: str = ""
    operation: object = None
    params: dict = field(default_factory=dict)
    output: dict | None = None
    error: ApiError | None = None
    identity: dict | None = None  # userIdentity of an unsigned caller (a SAML or web identity user)
    # The versions of the access key's rows the process kept, which the call's write is to confirm (None: confirmed).
    unconfirmed_key: str | None = None


class _KeyChanged(Exception):
    """The kept access key a call went ahead with had changed (deactivated, say): the call is answered anew."""


def _registry(service: Service) -> Operations:
    return import_module(f"api.operations.{service.name}").operations


def _read_body(request) -> bytes:
    limit = getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # request.body would apply Django's form-upload limit; the API has its own. A body sent without
    # Content-Length (chunked) is read up to one byte past the limit, so it cannot slip through either.
    body = b"" if declared > limit else request.read(limit + 1)
    if declared > limit or len(body) > limit:
        size = f"of {declared} bytes " if declared > limit else ""
        raise ApiError(
            "RequestEntityTooLargeException", f"Request body {size}exceeds the limit of {limit} bytes.", status=413
        )
    return body


def _domain_error(exception: Exception) -> ApiError | None:
    """Domain services raise typed exceptions carrying an AWS error code, a status and a message."""
    code = getattr(type(exception), "code", None)
    message = getattr(exception, "message", None)
    if not isinstance(code, str) or not isinstance(message, str):
        return None
    fields = {}
    field_list = getattr(exception, "field_list", None)
    if field_list:
        fields["fieldList"] = [{"name": problem.name, "message": problem.message} for problem in field_list]
        fields["reason"] = getattr(exception, "reason", "fieldValidationFailed")
    return ApiError(code, message, status=getattr(exception, "status", 400), **fields)


def _session_policies(account, session) -> list | None:
    """What the session's policies allow (None: no session policies, nothing limited). A federated user session
    without any is allowed nothing, as in AWS."""
    if session is None or not (session.has_session_policies or session.federated_user_name):
        return None
    return session_policies(account, session.policy, session.policy_arns)


def _authenticate(request, body: bytes, service: Service, outcome: Outcome, *, trusting: bool) -> Principal:
    verified = sigv4.verify(request, body, service.signing_name, trusting=trusting)
    key, session = verified.access_key, verified.session
    outcome.access_key, outcome.session, outcome.unconfirmed_key = key, session, verified.unconfirmed
    outcome.access_key_id = verified.access_key_id
    outcome.region = verified.region
    identity = key.user if key is not None else (session.role or session.user)
    outcome.principal = Principal(
        account=verified.account,
        user=key.user if key is not None else session.user,
        role=session.role if session is not None else None,
        role_session_name=session.session_name if session is not None else "",
        # Only long-term keys carry no MFA context; temporary credentials say whether MFA was proven.
        via_access_key=session is None,
        via_session_token=session is not None and session.role is None and not session.federated_user_name,
        mfa_authenticated_at=session.mfa_authenticated_at if session is not None else None,
        session_policies=_session_policies(verified.account, session),
        federated_user_name=session.federated_user_name if session is not None else "",
        session_tags=session.session_tags if session is not None else {},
        scope_policies=scope_policies(session.scope_policies) if session is not None else [],
        requested_region=verified.region,
        source_ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        # The account row was read with the key (or the session's role): its policy version is current.
        loaded_identity_policies=current_policies_of(identity, verified.account) if identity is not None else None,
    )
    return outcome.principal


def _operation_if_readable(request, body: bytes, protocol):
    """The request's operation, read before its signature is checked: a call whose model says it takes no
    signature (AssumeRoleWithSAML, AssumeRoleWithWebIdentity: the identity provider's token is the credential,
    and a signature, if any, is not looked at) goes without one, and a write that confirms the caller's key
    itself may go ahead with a kept key. None when it cannot be read: the signature is checked first, and the
    operation's error follows."""
    try:
        return protocol.operation(request, body)
    except ApiError:
        return None


def _adopt(outcome: Outcome, call: Call, request) -> None:
    """An unsigned call's event goes to the account its handler found (the role's), as the identity it names."""
    if outcome.principal is None and call.principal is not None:
        call.principal.source_ip = request.META.get("REMOTE_ADDR", "")
        call.principal.user_agent = request.META.get("HTTP_USER_AGENT", "")
        outcome.principal, outcome.identity = call.principal, call.identity


def _run(request, body: bytes, service: Service, protocol, outcome: Outcome, *, trusting: bool = True) -> HttpResponse:
    """The call. `trusting`: a write that confirms the caller's key itself may go ahead with the key the process
    keeps (raising _KeyChanged if it had changed: nothing was written, nothing recorded)."""
    registry = _registry(service)
    operation = _operation_if_readable(request, body, protocol)
    if operation is not None and operation.auth_type == "none":
        principal, caller, outcome.region = None, f"unsigned:{request.META.get('REMOTE_ADDR', '')}", "us-east-1"
    else:
        trusting = trusting and operation is not None and registry.key_confirmed_by_write(operation.name)
        principal = _authenticate(request, body, service, outcome, trusting=trusting)
        operation = operation or protocol.operation(request, body)
        caller = principal.account.account_id
    try:
        return _answer(request, body, registry, protocol, outcome, operation, principal, caller)
    except _KeyChanged:
        raise
    except Exception:
        _confirm_key(outcome)  # a refusal too is answered as the key stands
        raise


def _confirm_key(outcome: Outcome) -> None:
    """Ask now whether the kept key the call went ahead with is unchanged; _KeyChanged if not."""
    if outcome.unconfirmed_key is None:
        return
    if not still_unchanged(outcome.access_key_id, outcome.unconfirmed_key):
        raise _KeyChanged()
    outcome.unconfirmed_key = None


def _answer(request, body: bytes, registry: Operations, protocol, outcome: Outcome, operation, principal, caller) -> HttpResponse:
    service = registry.service
    outcome.operation = operation
    throttle(caller, service, operation.name)
    outcome.params = protocol.read_params(operation, body, request)
    handler = registry.handler(operation.name)
    if handler is None:
        raise protocol.unknown_operation(operation.name)
    call = Call(service, operation, principal, outcome.params, outcome.region, outcome.request_id,
                lambda: request.build_absolute_uri("/"), session=outcome.session)
    if registry.precondition is not None:
        registry.precondition(call)
    # A call that changes something does it in one transaction with its event: one commit. A read
    # (Get, List, Describe...) needs no transaction: its event is its only write, made after the answer.
    read_only = is_read_only(operation.name)

    def answer():
        outcome.output = handler(call) or {}
        _adopt(outcome, call, request)
        response = protocol.success(operation, outcome.output, outcome.request_id)
        if not read_only:
            _record(outcome)
        return response

    try:
        response = answer() if read_only else _all_or_nothing_again_if_not_written(answer, outcome)
    finally:
        _adopt(outcome, call, request)  # a refused unsigned call is recorded too, once its account is known
    if read_only:
        after_response(lambda: _record_alone(outcome))
    return response


def _all_or_nothing_again_if_not_written(work, outcome: Outcome):
    """work() in one transaction, whose writes confirm the kept key the call went ahead with; if the rows it
    inserted could not be written as they were built (portal.inserts.NotWritten: nothing was), once more from
    the start with the key confirmed, writing each row at once."""
    try:
        with all_or_nothing():
            if outcome.unconfirmed_key is not None:
                provided(*unchanged_condition(outcome.access_key_id, outcome.unconfirmed_key))
            response = work()
        outcome.unconfirmed_key = None
        return response
    except NotWritten:
        _confirm_key(outcome)
        with all_or_nothing(deferring=False):
            return work()


def handle(request, service: Service) -> HttpResponse:
    """The handler's writes, the event that records them and the key's last use commit together, once.

    A call that changes nothing (a read, or a call that failed and rolled its writes back) has its event (and the
    key's use) committed on its own once the answer has gone (portal.after_response), as CloudTrail records
    calls after they are answered."""
    protocol = protocol_for(service)
    outcome = Outcome(service=service, request_id=str(uuid.uuid4()))
    try:
        body = _read_body(request)
        try:
            return _run(request, body, service, protocol, outcome)
        except _KeyChanged:
            outcome = Outcome(service=service, request_id=outcome.request_id)
            return _run(request, body, service, protocol, outcome, trusting=False)
    except AuthenticationFailure as failure:
        outcome.error = protocol.authentication_error(failure)
    except ApiError as error:
        outcome.error = error
    except AccessDenied as denial:
        outcome.error = protocol.access_denied_error(denial.message)
    except Exception as exception:  # noqa: BLE001 - the wire must always get an AWS-shaped answer
        outcome.error = _domain_error(exception)
        if outcome.error is None:
            logger.exception("API request %s failed", outcome.request_id)
            outcome.error = protocol.internal_failure()
    outcome.output = None
    after_response(lambda: _record_alone(outcome))
    return protocol.failure(outcome.error, outcome.request_id)


def unknown_endpoint(path: str) -> HttpResponse:
    """A path under /api/ that no service answers: AWS's JSON error shape, never Django's HTML 404."""
    response = JsonResponse({"__type": "UnknownOperationException", "message": f"No service is served at {path}"}, status=404)
    response["x-amzn-ErrorType"] = "UnknownOperationException"
    response["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def _record_alone(outcome: Outcome) -> None:
    try:
        _record(outcome)
    except Exception:  # noqa: BLE001 - a lost history line must not fail the call it describes
        logger.exception("Could not record the event of API request %s", outcome.request_id)


def _record(outcome: Outcome) -> None:
    """The event and (at most once a minute) the key's last use: in the call's transaction when it has one."""
    from .events import record_api_call

    key = outcome.access_key
    touch = key is not None and access_key_use_due(key)
    event = outcome.principal is not None and outcome.operation is not None  # else: no account's history
    if not (touch or event):
        return
    # The event alone is one INSERT, atomic and durable by itself: a transaction would only add BEGIN and COMMIT.
    alone = not touch or not event or transaction.get_connection().in_atomic_block
    with nullcontext() if alone else transaction.atomic():
        if touch:
            record_access_key_use(key, service=outcome.service.name, region=outcome.region)
        if event:
            record_api_call(outcome)
