"""Attached and inline policies, the same eight operations for users, groups and roles."""

from iam import services
from iam.exceptions import NoSuchEntity
from iam.identity_kinds import KINDS, IdentityKind

from . import operations
from .common import find_identity, find_policy, paged, policy_document


def _owner(call, kind: IdentityKind):
    identity = find_identity(call, kind, call.params[f"{kind.noun}Name"])
    call.authorize(identity.arn)
    return identity


def _register(kind: IdentityKind) -> None:
    noun = kind.noun

    @operations(f"Attach{noun}Policy")
    def attach(call):
        services.attach_policy(_owner(call, kind), find_policy(call, call.params["PolicyArn"]))

    @operations(f"Detach{noun}Policy")
    def detach(call):
        services.detach_policy(_owner(call, kind), find_policy(call, call.params["PolicyArn"]))

    @operations(f"ListAttached{noun}Policies")
    def list_attached(call):
        identity = _owner(call, kind)
        prefix = call.params.get("PathPrefix", "/")
        policies = identity.attached_policies.filter(path__startswith=prefix).select_related("account").order_by("name", "pk")
        rows, more = paged(call, policies, f"ListAttached{noun}Policies:{identity.pk}")
        return {"AttachedPolicies": [{"PolicyName": policy.name, "PolicyArn": policy.arn} for policy in rows], **more}

    @operations(f"Put{noun}Policy")
    def put_inline(call):
        services.put_inline_policy(_owner(call, kind), call.params["PolicyName"], call.params["PolicyDocument"])

    @operations(f"Get{noun}Policy")
    def get_inline(call):
        identity = _owner(call, kind)
        inline = _inline(identity, kind, call.params["PolicyName"])
        return {f"{noun}Name": identity.name, "PolicyName": inline.name, "PolicyDocument": policy_document(inline.document)}

    @operations(f"List{noun}Policies")
    def list_inline(call):
        identity = _owner(call, kind)
        rows, more = paged(call, identity.inline_policies.order_by("name", "pk"), f"List{noun}Policies:{identity.pk}")
        return {"PolicyNames": [inline.name for inline in rows], **more}

    @operations(f"Delete{noun}Policy")
    def delete_inline(call):
        services.delete_inline_policy(_owner(call, kind), call.params["PolicyName"])


def _inline(identity, kind: IdentityKind, name: str):
    inline = identity.inline_policies.filter(name__lower=name.lower()).first()
    if inline is None:
        raise NoSuchEntity(f"The {kind.key} policy with name {name} cannot be found.")
    return inline


for _kind in KINDS.values():
    _register(_kind)
