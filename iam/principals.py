"""Who is acting: the root user of an account, one of its IAM users, or a session of an assumed role."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils import timezone

from accounts.models import Account

from .models import IAMUser, Role


@dataclass(eq=False)
class Principal:
    account: Account
    user: IAMUser | None = None  # None: the account's root user
    mfa_authenticated_at: datetime | None = None
    source_ip: str = ""
    user_agent: str = ""
    # Requests signed with a long-term access key carry no MFA context at all.
    via_access_key: bool = False
    extra_context: dict = field(default_factory=dict)
    # An assumed-role session (sts:AssumeRole): the role's policies apply, not a user's.
    role: Role | None = None
    role_session_name: str = ""
    # aws:RequestedRegion: the Region a signed API request is scoped to; the console calls IAM
    # (a global service) in us-east-1, as AWS's console does.
    requested_region: str = "us-east-1"
    # Identity policies already built from prefetched rows (selectors.user_principals); None: load them.
    loaded_identity_policies: list | None = None
    # Temporary credentials of a user or the root user (sts:GetSessionToken), not of a role.
    via_session_token: bool = False
    # Session policies passed to AssumeRole (None: the session has none, so they limit nothing).
    session_policies: list | None = None
    # A federated user session (sts:GetFederationToken) of `user` (None: of the root user): its name, and the
    # session tags passed with it (they win over the user's tags with the same key).
    federated_user_name: str = ""
    session_tags: dict = field(default_factory=dict)
    # GetScopedCredentials' scope-down policies: each one more session-policy layer that must also allow.
    scope_policies: list = field(default_factory=list)

    @property
    def is_root(self) -> bool:
        return self.user is None and self.role is None and not self.is_federated_session

    @property
    def is_federated_session(self) -> bool:
        return bool(self.federated_user_name)

    @property
    def is_role_session(self) -> bool:
        return self.role is not None

    @property
    def arn(self) -> str:
        if self.is_role_session:
            return f"arn:aws:sts::{self.account.account_id}:assumed-role/{self.role.name}/{self.role_session_name}"
        if self.is_federated_session:
            return f"arn:aws:sts::{self.account.account_id}:federated-user/{self.federated_user_name}"
        return self.account.root_arn if self.is_root else self.user.arn

    @property
    def name(self) -> str:
        if self.is_role_session:
            return f"{self.role.name}/{self.role_session_name}"
        if self.is_federated_session:
            return self.federated_user_name
        return "root" if self.is_root else self.user.name

    @property
    def display_name(self) -> str:
        if self.is_root:
            return f"Root user ({self.account.root_email})"
        return f"{self.name} @ {self.account.sign_in_reference}"

    @property
    def principal_type(self) -> str:
        if self.is_role_session:
            return "AssumedRole"
        if self.is_federated_session:
            return "FederatedUser"
        return "Root" if self.is_root else "IAMUser"

    @cached_property
    def identity_policies(self):
        """Every identity policy that applies, loaded once per request."""
        from .selectors import identity_policies, policies_of

        if self.loaded_identity_policies is not None:
            return self.loaded_identity_policies
        if self.is_role_session:
            return policies_of(self.role)
        return [] if self.user is None else identity_policies(self.user)

    @cached_property
    def policy_layers(self) -> list:
        """The policy types that decide this principal's requests (iam.evaluator.evaluate_layers)."""
        from .evaluator import BOUNDARY, IDENTITY, SESSION, PolicyLayer
        from .selectors import boundary_policies

        scopes = [PolicyLayer(SESSION, [policy]) for policy in self.scope_policies]
        if self.is_federated_session and self.user is None:
            # The root user's own permissions are everything: only the session policies limit its federated users.
            return [PolicyLayer(SESSION, self.session_policies or []), *scopes]
        layers = [PolicyLayer(IDENTITY, self.identity_policies)]
        entity = self.role if self.is_role_session else self.user
        if entity is not None and entity.permissions_boundary_id is not None:
            layers.append(PolicyLayer(BOUNDARY, boundary_policies(entity)))
        if self.session_policies is not None:
            layers.append(PolicyLayer(SESSION, self.session_policies))
        return layers + scopes

    def _identity_context(self) -> dict[str, object]:
        if self.is_role_session:
            return {
                "aws:PrincipalType": "AssumedRole",
                "aws:userid": f"{self.role.role_id}:{self.role_session_name}",
                "aws:PrincipalArn": self.role.arn,
                **{f"aws:PrincipalTag/{key}": value for key, value in self.role.tags.items()},
            }
        if self.is_federated_session:
            tags = {key: value for key, value in (self.user.tags if self.user else {}).items()
                    if key.lower() not in {name.lower() for name in self.session_tags}}
            return {
                "aws:PrincipalType": "FederatedUser",
                "aws:userid": f"{self.account.account_id}:{self.federated_user_name}",
                "aws:PrincipalArn": self.arn,
                **{f"aws:PrincipalTag/{key}": value for key, value in {**tags, **self.session_tags}.items()},
            }
        if self.is_root:
            return {"aws:PrincipalType": "Account", "aws:userid": self.account.account_id, "aws:PrincipalArn": self.arn}
        return {
            "aws:PrincipalType": "User",
            "aws:userid": self.user.user_id,
            "aws:PrincipalArn": self.arn,
            "aws:username": self.user.name,
            **{f"aws:PrincipalTag/{key}": value for key, value in self.user.tags.items()},
        }

    def request_context(self) -> dict[str, object]:
        """Global condition keys as the request context carries them."""
        now = timezone.now()
        context: dict[str, object] = {
            "aws:CurrentTime": now.isoformat(),
            "aws:EpochTime": int(now.timestamp()),
            "aws:PrincipalAccount": self.account.account_id,
            "aws:RequestedRegion": self.requested_region,
            **self._identity_context(),
        }
        if self.source_ip:
            context["aws:SourceIp"] = self.source_ip
        if not self.via_access_key:
            context["aws:MultiFactorAuthPresent"] = self.mfa_authenticated_at is not None
            if self.mfa_authenticated_at is not None:
                context["aws:MultiFactorAuthAge"] = int((now - self.mfa_authenticated_at).total_seconds())
        context.update(self.extra_context)
        return context
