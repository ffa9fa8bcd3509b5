"""The operations each service serves: a registry of thin handlers over the domain services."""

from collections.abc import Callable
from dataclasses import dataclass

from botocore.model import OperationModel

from iam.authorization import authorize
from iam.principals import Principal

from ..refusals import refusal_for
from ..service_models import Service


@dataclass
class Call:
    """One API call, as a handler sees it."""

    service: Service
    operation: OperationModel
    # Who signed the call. None for the unsigned STS operations: their handler names the principal the event is
    # recorded under, and the userIdentity (`identity`) CloudTrail shows for it.
    principal: Principal | None
    params: dict
    region: str
    request_id: str
    # Where the caller reached the API (scheme and host, ending in "/"), asked of the request only by the few
    # handlers that hand out links (base_url).
    reached_at: Callable[[], str] = lambda: ""
    identity: dict | None = None
    # The temporary credentials (api.temporary_credentials.Session) the call was signed with; None for a long-term key.
    session: object = None

    @property
    def base_url(self) -> str:
        return self.reached_at()

    @property
    def action(self) -> str:
        return f"{self.service.name}:{self.operation.name}"

    def authorize(self, resource: str = "*", context: dict | None = None) -> None:
        """The one IAM check, for the action this call performs."""
        authorize(self.principal, self.action, resource, context)


Handler = Callable[[Call], dict | None]


class Operations:
    """Handlers by operation name; `precondition(call)` runs before any of them (a plan that has no API, ...)."""

    def __init__(self, service: Service, precondition: Callable[[Call], None] | None = None):
        self.service = service
        self.precondition = precondition
        self._handlers: dict[str, Handler] = {}
        self._key_confirmed_by_write: set[str] = set()

    def __call__(self, name: str, *, key_confirmed_by_write: bool = False) -> Callable[[Handler], Handler]:
        """Register the handler of operation `name`. `key_confirmed_by_write`: every write the operation makes
        waits to be written with its event at the call's end (portal.inserts), and none changes the caller's key,
        account or user: its call may go ahead with the key the process keeps, that write confirming the key
        (iam.access_key_memo.kept_access_key)."""
        if self.service.operation(name) is None:
            raise LookupError(f"{self.service.name} has no operation {name} in its model")

        def register(handler: Handler) -> Handler:
            self._handlers[name] = handler
            if key_confirmed_by_write:
                self._key_confirmed_by_write.add(name)
            return handler

        return register

    def handler(self, name: str) -> Handler | None:
        """The operation's handler, or the refusal AWS answers a standalone account (api/refusals.py)."""
        handler = self._handlers.get(name)
        if handler is None and refusal_for(self.service.name, name) is not None:
            return _refuse
        return handler

    def key_confirmed_by_write(self, name: str) -> bool:
        return name in self._key_confirmed_by_write

    def serves(self, name: str) -> bool:
        return name in self._handlers

    @property
    def names(self) -> list[str]:
        return sorted(self._handlers)


def _refuse(call: Call) -> None:
    """The IAM check comes first, as in AWS; an allowed caller then gets the account's refusal."""
    call.authorize()
    raise refusal_for(call.service.name, call.operation.name).error(call.operation, call.params)
