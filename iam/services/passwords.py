"""Console passwords of IAM users and the account password policy that governs them.

The policy never applies to the root user. Without a custom policy AWS's default
applies: at least 8 characters and three of the four character types.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Account

from ..exceptions import IAMError, NoSuchEntity, PasswordPolicyViolation, ValidationError
from ..models import IAMUser, PasswordHistory, PasswordPolicy
from ..throttle import old_password_matches, user_sign_in_name

SYMBOLS = set("!@#$%^&*()_+-=[]{}|'")
DEFAULT_MINIMUM_LENGTH = 8
MAXIMUM_LENGTH = 128
# Field -> (lowest, highest) allowed, as UpdateAccountPasswordPolicy documents them.
POLICY_RANGES = {"minimum_length": (6, 128), "max_age_days": (1, 1095), "reuse_prevention": (1, 24)}
_API_NAMES = {"minimum_length": "minimumPasswordLength", "max_age_days": "maxPasswordAge", "reuse_prevention": "passwordReusePrevention"}


@dataclass(frozen=True)
class CharacterClass:
    name: str
    test: callable


CHARACTER_CLASSES = {
    "require_uppercase": CharacterClass("one uppercase letter", lambda c: "A" <= c <= "Z"),
    "require_lowercase": CharacterClass("one lowercase letter", lambda c: "a" <= c <= "z"),
    "require_numbers": CharacterClass("one number", str.isdigit),
    "require_symbols": CharacterClass("one symbol", lambda c: c in SYMBOLS),
}


def password_policy(account: Account) -> PasswordPolicy | None:
    return PasswordPolicy.objects.filter(account=account).first()


@transaction.atomic
def update_password_policy(account: Account, **fields) -> PasswordPolicy:
    """Replace the account password policy; fields not given take AWS's defaults (as the API does)."""
    for field, (lowest, highest) in POLICY_RANGES.items():
        value = fields.get(field)
        if value is not None and not lowest <= value <= highest:
            raise ValidationError(
                f"1 validation error detected: Value '{value}' at '{_API_NAMES[field]}' failed to satisfy "
                f"constraint: Member must have value between {lowest} and {highest}",
                field=field,
            )
    defaults = {
        "minimum_length": DEFAULT_MINIMUM_LENGTH,
        "require_symbols": False,
        "require_numbers": False,
        "require_uppercase": False,
        "require_lowercase": False,
        "allow_users_to_change": False,
        "max_age_days": None,
        "reuse_prevention": None,
        "hard_expiry": False,
    }
    unknown = set(fields) - set(defaults)
    if unknown:
        raise TypeError(f"unknown password policy fields: {sorted(unknown)}")
    values = {**defaults, **{key: value for key, value in fields.items() if value is not None}}
    policy, _ = PasswordPolicy.objects.update_or_create(account=account, defaults=values)
    return policy


@transaction.atomic
def delete_password_policy(account: Account) -> None:
    deleted, _ = PasswordPolicy.objects.filter(account=account).delete()
    if not deleted:
        raise NoSuchEntity(f"The Password Policy with domain name {account.account_id} cannot be found.")


def password_problems(account: Account, password: str, *, user: IAMUser | None) -> list[str]:
    """Every rule the password breaks, in the words the console uses."""
    policy = password_policy(account)
    problems = []
    minimum = policy.minimum_length if policy else DEFAULT_MINIMUM_LENGTH
    if len(password) < minimum:
        problems.append(f"Password should have a minimum length of {minimum}")
    if len(password) > MAXIMUM_LENGTH:
        problems.append(f"Password should have a maximum length of {MAXIMUM_LENGTH}")
    if policy:
        for field, character_class in CHARACTER_CLASSES.items():
            if getattr(policy, field) and not any(character_class.test(c) for c in password):
                problems.append(f"Password should have at least {character_class.name}")
    else:
        kinds = sum(any(cc.test(c) for c in password) for cc in CHARACTER_CLASSES.values())
        if kinds < 3:
            problems.append("Password should contain at least three of: uppercase letters, lowercase letters, numbers, symbols")
    if user is not None and policy and policy.reuse_prevention and _recently_used(user, password, policy.reuse_prevention):
        problems.append(f"Password should not be one of your last {policy.reuse_prevention} passwords")
    return problems


def validate_new_password(account: Account, password: str, *, user: IAMUser | None) -> None:
    problems = password_problems(account, password, user=user)
    if problems:
        raise PasswordPolicyViolation("; ".join(problems) + ".", field="password")


def _recently_used(user: IAMUser, password: str, count: int) -> bool:
    hashes = list(user.password_history.values_list("password", flat=True)[:count]) or [user.password]
    return any(stored and check_password(password, stored) for stored in hashes)


def _store_password(user: IAMUser, password: str, *, reset_required: bool, now: datetime) -> None:
    user.password = make_password(password)
    user.password_changed_at = now
    user.password_reset_required = reset_required
    user.save(update_fields=["password", "password_changed_at", "password_reset_required"])
    PasswordHistory.objects.create(user=user, password=user.password, set_at=now)
    # Keep only as much history as the strictest policy could ask for.
    stale = user.password_history.values_list("pk", flat=True)[POLICY_RANGES["reuse_prevention"][1]:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def set_console_password(user: IAMUser, password: str, *, reset_required: bool = False, now: datetime | None = None) -> None:
    """An administrator creates or replaces the user's console password (login profile)."""
    IAMUser.objects.select_for_update().get(pk=user.pk)
    validate_new_password(user.account, password, user=user)
    _store_password(user, password, reset_required=reset_required, now=now or timezone.now())


@transaction.atomic
def delete_console_password(user: IAMUser) -> None:
    if not user.has_console_password:
        raise NoSuchEntity(f"Login Profile for User {user.name} cannot be found.")
    user.password = ""
    user.password_reset_required = False
    user.save(update_fields=["password", "password_reset_required"])


@transaction.atomic
def set_password_reset_required(user: IAMUser, required: bool) -> None:
    """UpdateLoginProfile without a new password: only whether the next sign-in must change it."""
    user = IAMUser.objects.select_for_update().get(pk=user.pk)
    if not user.has_console_password:
        raise NoSuchEntity(f"Login Profile for User {user.name} cannot be found.")
    user.password_reset_required = required
    user.save(update_fields=["password_reset_required"])


def may_change_own_password(user: IAMUser) -> bool:
    """AllowUsersToChangePassword lets every user change their own; otherwise they need iam:ChangePassword."""
    policy = password_policy(user.account)
    return bool(policy and policy.allow_users_to_change)


@transaction.atomic
def change_own_password(user: IAMUser, old_password: str, new_password: str, *, now: datetime | None = None) -> None:
    """The user changes their own password (also the forced change at sign-in). Callers check permission."""
    IAMUser.objects.select_for_update().get(pk=user.pk)
    if not old_password_matches(user_sign_in_name(user.account.account_id, user.name), old_password, user.password):
        raise IAMError("The old password is incorrect.", field="old_password")
    if old_password == new_password:
        raise PasswordPolicyViolation("The new password must differ from the old one.", field="new_password")
    try:
        validate_new_password(user.account, new_password, user=user)
    except PasswordPolicyViolation as violation:
        violation.field = "new_password"
        raise
    _store_password(user, new_password, reset_required=False, now=now or timezone.now())


def password_expires_at(user: IAMUser, policy: PasswordPolicy | None = None) -> datetime | None:
    policy = policy if policy is not None else password_policy(user.account)
    if not policy or not policy.max_age_days or not user.password:
        return None
    return (user.password_changed_at or user.created_at) + timedelta(days=policy.max_age_days)


def password_expired(user: IAMUser, *, now: datetime | None = None) -> bool:
    expires = password_expires_at(user)
    return expires is not None and (now or timezone.now()) >= expires


def password_change_required(user: IAMUser, *, now: datetime | None = None) -> bool:
    """Flagged by an administrator, or expired under the policy: change before anything else."""
    return user.password_reset_required or password_expired(user, now=now)


def locked_by_hard_expiry(user: IAMUser, *, now: datetime | None = None) -> bool:
    """With HardExpiry an expired password cannot be changed by its user: only an administrator can reset it."""
    policy = password_policy(user.account)
    return bool(policy and policy.hard_expiry and password_expired(user, now=now))
