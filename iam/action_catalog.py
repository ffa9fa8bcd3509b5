"""The action names and condition keys the policy editor checks a policy against.

Actions are GENERATED, never typed: every service model that ships inside botocore gives its
IAM prefix (the signing name, as api/service_models.py reads it) and its operations, and an
action is prefix:Operation. IAM also has permission-only actions that no API operation carries
(the Trusted Advisor console's, the Billing console's); those come from data the project already
holds: advisor.services.access.ACTIONS and the AWS managed policy documents in iam/managed_policies.
A service seen only there is "partially known": its action names are not checked.

Reading ~450 models takes seconds of CPU, so what the catalog takes from them (each model's prefix, name and
operations) is kept on disk under RUNTIME_DIR, named for botocore's version and the list of its models: the
first process after an install reads the models and writes the file, every other process reads the file.
The catalog itself is then built once per process, on first use.
"""

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cache

import botocore
from botocore.loaders import Loader
from botocore.model import ServiceModel
from django.conf import settings

from .patterns import _wildcard_body

logger = logging.getLogger(__name__)

# "AWS global condition context keys" (IAM User Guide, reference_policies_condition-keys). These are
# documentation, not part of any service model; keys ending in "/" take a tag key after them.
GLOBAL_CONDITION_KEYS = frozenset({
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime", "aws:EpochTime",
    "aws:FederatedProvider", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:PrincipalAccount",
    "aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalTag/", "aws:PrincipalType",
    "aws:referer", "aws:RequestedRegion", "aws:RequestTag/", "aws:ResourceAccount", "aws:ResourceOrgID",
    "aws:ResourceOrgPaths", "aws:ResourceTag/", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn",
    "aws:SourceIdentity", "aws:SourceIp", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpc",
    "aws:SourceVpce", "aws:TagKeys", "aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username",
    "aws:ViaAWSService", "aws:VpcSourceIp", "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
})
# Service condition keys the sandbox puts in a request (accounts.views, iam.views.permissions): only for
# these services can an unknown key be told apart from a real one the sandbox never sends.
SERVICE_CONDITION_KEYS = {
    "account": frozenset({"account:AlternateContactTypes", "account:TargetRegion"}),
    "iam": frozenset({"iam:PolicyARN"}),
}


@dataclass
class ServiceActions:
    prefix: str
    name: str
    actions: dict[str, str] = field(default_factory=dict)  # lower-case name -> Canonical name
    complete: bool = True  # False: known only from permission-only actions, names not checkable

    def matching(self, pattern: str) -> list[str]:
        """The actions an IAM wildcard (`*`, `?`) names, case-insensitively."""
        regex = re.compile(f"^{_wildcard_body(pattern)}$", re.IGNORECASE)
        return sorted(name for name in self.actions.values() if regex.match(name))


@dataclass
class ActionCatalog:
    services: dict[str, ServiceActions]

    def service(self, prefix: str) -> ServiceActions | None:
        return self.services.get(prefix.lower())

    def action(self, action: str) -> str | None:
        """The canonical spelling of a known action, or None."""
        prefix, _, operation = action.partition(":")
        service = self.service(prefix)
        return service.actions.get(operation.lower()) if service else None


def _add(services: dict[str, ServiceActions], prefix: str, name: str, operations, *, complete: bool) -> None:
    entry = services.setdefault(prefix.lower(), ServiceActions(prefix=prefix.lower(), name=name, complete=complete))
    entry.complete = entry.complete or complete
    entry.actions.update((operation.lower(), operation) for operation in operations)


def _permission_only_actions() -> set[str]:
    from advisor.services.access import ACTIONS

    from .managed_policies import load_catalogue

    actions = {action for channels in ACTIONS.values() for action in channels.values()}
    for entry in load_catalogue().values():
        statements = entry["Document"]["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            named = statement.get("Action", statement.get("NotAction", []))
            actions.update([named] if isinstance(named, str) else named)
    return actions


def _read_models(loader: Loader, names: list[str]) -> list[list]:
    """[IAM prefix, service name, operations] of each model, in the loader's order."""
    entries = []
    for name in names:
        model = ServiceModel(loader.load_service_model(name, "service-2"), service_name=name)
        entries.append([model.signing_name, model.metadata.get("serviceFullName", name), list(model.operation_names)])
    return entries


def _model_entries() -> list[list]:
    """`_read_models` of every model botocore has, from the file an earlier process wrote when there is one."""
    loader = Loader()
    names = loader.list_available_services("service-2")
    fingerprint = hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]
    path = settings.RUNTIME_DIR / f"action-catalog-botocore-{botocore.__version__}-{fingerprint}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass  # not written yet (or half written by a process that died): read the models
    entries = _read_models(loader, names)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(entries))
        os.replace(partial, path)  # whole or not at all, whatever other process writes it at the same time
    except OSError:
        logger.warning("Could not keep the action catalog in %s", path, exc_info=True)
    return entries


@cache
def catalog() -> ActionCatalog:
    services: dict[str, ServiceActions] = {}
    for prefix, name, operations in _model_entries():
        _add(services, prefix, name, operations, complete=True)
    for action in _permission_only_actions():
        prefix, _, operation = action.partition(":")
        if not operation:
            continue
        known = prefix.lower() in services
        concrete = [] if "*" in operation or "?" in operation else [operation]
        _add(services, prefix, services[prefix.lower()].name if known else prefix, concrete, complete=False)
    return ActionCatalog(services)


def is_known_condition_key(key: str) -> bool | None:
    """True or False when the sandbox can tell; None for a service whose keys it does not know."""
    prefix, _, name = key.partition(":")
    if prefix.lower() == "aws":
        lowered = key.lower()
        return any(lowered == known.lower() or (known.endswith("/") and lowered.startswith(known.lower()) and len(lowered) > len(known))
                   for known in GLOBAL_CONDITION_KEYS)
    keys = SERVICE_CONDITION_KEYS.get(prefix.lower())
    if keys is None:
        return None
    return key.lower() in {known.lower() for known in keys}


def known_condition_keys() -> list[str]:
    return sorted(GLOBAL_CONDITION_KEYS | frozenset().union(*SERVICE_CONDITION_KEYS.values()))
