"""Users, groups and roles hold policies the same way; what differs between them lives here."""

from dataclasses import dataclass

from .models import GroupInlinePolicy, IAMGroup, IAMUser, Role, RoleInlinePolicy, UserInlinePolicy

MANAGED_POLICIES_PER_IDENTITY = 10


@dataclass(frozen=True)
class IdentityKind:
    key: str  # "user", "group", "role": also the URL segment
    noun: str  # in action names: iam:AttachUserPolicy, iam:GetGroup, ...
    model: type
    inline_model: type
    owner_field: str  # the inline policy's foreign key to its owner
    inline_size_limit: int  # all inline policies together, whitespace not counted
    # AWS's quota names in LimitExceeded messages.
    managed_quota: str
    # Users and roles carry tags (aws:PrincipalTag/*); groups cannot be tagged.
    taggable: bool = True

    def action(self, template: str) -> str:
        """'Attach{}Policy' -> 'iam:AttachUserPolicy'."""
        return "iam:" + template.format(self.noun)


USER = IdentityKind("user", "User", IAMUser, UserInlinePolicy, "user", 2048, "PoliciesPerUser")
GROUP = IdentityKind("group", "Group", IAMGroup, GroupInlinePolicy, "group", 5120, "PoliciesPerGroup", taggable=False)
ROLE = IdentityKind("role", "Role", Role, RoleInlinePolicy, "role", 10240, "PoliciesPerRole")
KINDS = {kind.key: kind for kind in (USER, GROUP, ROLE)}


def kind_of(identity) -> IdentityKind:
    for kind in KINDS.values():
        if isinstance(identity, kind.model):
            return kind
    raise TypeError(f"{identity!r} is not an IAM identity")
