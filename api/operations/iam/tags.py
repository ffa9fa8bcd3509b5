"""Tags on users and roles (TagUser, UntagUser, ListUserTags and the role ones), on iam.services.tags."""

from iam import services
from iam.authorization import authorize
from iam.identity_kinds import KINDS, IdentityKind

from . import operations
from .common import find_identity, paged, tags


def request_tag_context(given: dict[str, str]) -> dict:
    """aws:TagKeys and aws:RequestTag/<key>, for policies that govern which tags may be set."""
    return {"aws:TagKeys": list(given), **{f"aws:RequestTag/{key}": value for key, value in given.items()}}


def tags_page(call, stored: dict[str, str], scope: str) -> dict:
    """List...Tags: the tags ordered by key, in IAM's Marker/MaxItems pages."""
    ordered = dict(sorted(stored.items(), key=lambda item: item[0].lower()))
    rows, more = paged(call, tags(ordered) or [], scope)
    return {"Tags": rows, **more}


def tag_on_create(call, identity, kind: IdentityKind) -> None:
    """CreateUser/CreateRole with Tags: tagging is its own action, as in IAM."""
    given = {tag["Key"]: tag["Value"] for tag in call.params.get("Tags", ())}
    if given:
        authorize(call.principal, kind.action("Tag{}"), identity.arn, request_tag_context(given))
        services.tag_identity(identity, given)


def _register(kind: IdentityKind) -> None:
    noun = kind.noun

    def owner(call):
        return find_identity(call, kind, call.params[f"{noun}Name"])

    @operations(f"Tag{noun}")
    def tag(call):
        identity = owner(call)
        given = {item["Key"]: item["Value"] for item in call.params["Tags"]}
        call.authorize(identity.arn, request_tag_context(given))
        services.tag_identity(identity, given)

    @operations(f"Untag{noun}")
    def untag(call):
        identity = owner(call)
        call.authorize(identity.arn, {"aws:TagKeys": call.params["TagKeys"]})
        services.untag_identity(identity, call.params["TagKeys"])

    @operations(f"List{noun}Tags")
    def list_tags(call):
        identity = owner(call)
        call.authorize(identity.arn)
        return tags_page(call, identity.tags, f"List{noun}Tags:{identity.pk}")


for _kind in KINDS.values():
    if _kind.taggable:
        _register(_kind)
