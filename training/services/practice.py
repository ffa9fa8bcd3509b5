"""Practice accounts: sign-up, reset, activity tracking and idle clean-up."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Account, SupportPlan
from accounts.selectors import find_account_by_root_email
from accounts.services import create_account
from accounts.services.root_user import password_problem
from events.models import Event
from iam.principals import Principal
from portal.sandbox.services import populate_account, reset_account

from ..exceptions import RootUserOnly, SignUpThrottled, TrainingError
from ..models import MAX_PICKUP_DELAY_MINUTES, MAX_TIME_SPEED_FACTOR, ExerciseCompletion, TrainingProfile
from .scenarios import stage_deleted_user

PRACTICE_ACCOUNT_NAME = "Practice account"
IDLE_LIMIT = timedelta(days=30)
# Activity is written at most this often per account, so browsing costs no writes.
ACTIVITY_RESOLUTION = timedelta(minutes=5)


def sign_up_limit() -> tuple[int, timedelta]:
    """How many practice accounts one client address may start within how long."""
    return (
        getattr(settings, "TRAINING_SIGN_UPS_PER_ADDRESS", 3),
        getattr(settings, "TRAINING_SIGN_UP_WINDOW", timedelta(hours=1)),
    )


def _ensure_sign_up_allowed(client_address: str | None, now: datetime) -> None:
    if not client_address:
        return
    limit, window = sign_up_limit()
    recent = TrainingProfile.objects.filter(signed_up_from=client_address, created_at__gte=now - window)
    # A burst of parallel sign-ups may overshoot by one or two; the limit only has to stop abuse.
    if recent.count() >= limit:
        minutes = int(window.total_seconds() // 60)
        raise SignUpThrottled(
            f"Too many practice accounts were started from your network in the last {minutes} minutes. "
            "Try again later, or ask your instructor for an account."
        )


def validate_sign_up(email: str, password: str, support_plan: str, name: str = PRACTICE_ACCOUNT_NAME) -> None:
    if support_plan not in SupportPlan.values:
        raise TrainingError(f"Choose one of the support plans: {', '.join(SupportPlan.labels)}.", field="support_plan")
    if find_account_by_root_email(email) is not None:
        raise TrainingError("An account with this email address already exists. Sign in instead.", field="email")
    problem = password_problem(password, Account(name=name, root_email=email))
    if problem:
        raise TrainingError(problem, field="password")


def open_practice_account(
    *,
    email: str,
    password: str,
    support_plan: str,
    cohort=None,
    client_address: str | None = None,
    name: str = PRACTICE_ACCOUNT_NAME,
    now: datetime | None = None,
) -> Account:
    """A fresh account seeded with every app's demo data, marked as a practice account."""
    now = now or timezone.now()
    validate_sign_up(email, password, support_plan, name)
    _ensure_sign_up_allowed(client_address, now)
    with transaction.atomic():
        account = create_account(name=name, root_email=email, root_password=password, support_plan=support_plan)
        populate_account(account)
        stage_deleted_user(account, now)
        TrainingProfile.objects.create(
            account=account,
            is_practice=True,
            cohort=cohort,
            signed_up_from=client_address,
            starting_name=name,
            starting_support_plan=support_plan,
            created_at=now,
            sandbox_started_at=timezone.now(),
            last_activity_at=now,
        )
    return account


def reset_practice_sandbox(principal: Principal) -> Account:
    """Restore the caller's practice account to its starting state, name and support plan included;
    the root user's sign-in, the training settings and exercise progress stay."""
    if not principal.is_root:
        raise RootUserOnly("Only the root user can reset the sandbox.")
    return reset_practice_account(principal.account)


def reset_practice_account(account: Account) -> Account:
    """The reset itself, for the trainee's root user or the instructor of the trainee's cohort."""
    with transaction.atomic():
        profile = TrainingProfile.objects.select_for_update().get(account=account, is_practice=True)
        completions = list(profile.completions.values("exercise", "completed_at"))
        kept = {
            field.name: getattr(profile, field.name)
            for field in TrainingProfile._meta.concrete_fields
            if field.name not in {"id", "account"}
        }
        starting = {"name": profile.starting_name, "support_plan": profile.starting_support_plan}
        fresh = reset_account(account.account_id, **{field: value for field, value in starting.items() if value})
        now = timezone.now()
        stage_deleted_user(fresh, now)
        profile = TrainingProfile.objects.create(
            account=fresh, **{**kept, "sandbox_started_at": now, "last_activity_at": now}
        )
        ExerciseCompletion.objects.bulk_create(ExerciseCompletion(profile=profile, **done) for done in completions)
    return fresh


def record_activity(account: Account, now: datetime | None = None) -> bool:
    """Note that someone used the account; True when a practice profile was written."""
    now = now or timezone.now()
    written = TrainingProfile.objects.filter(account=account, last_activity_at__lt=now - ACTIVITY_RESOLUTION).update(
        last_activity_at=now
    )
    return written > 0


def remove_idle_practice_accounts(now: datetime | None = None) -> int:
    """Delete practice accounts nobody used for IDLE_LIMIT, with everything in them.

    Use is a console visit (last_activity_at) or any call in the account's event history since the sandbox
    started (the events of a staged scene are not use), so a trainee who practises only with the API or the
    CLI keeps the account too.
    """
    cutoff = (now or timezone.now()) - IDLE_LIMIT
    recent_use = Event.objects.filter(account=OuterRef("pk"), event_time__gte=cutoff).filter(
        event_time__gte=OuterRef("training_profile__sandbox_started_at")
    )
    idle = Account.objects.filter(
        training_profile__is_practice=True, training_profile__last_activity_at__lt=cutoff
    ).exclude(Exists(recent_use))
    with transaction.atomic():
        removed = idle.count()
        idle.delete()
    return removed


def update_engineer_settings(
    principal: Principal, *, simulated_engineer: bool, time_speed_factor: int, pickup_delay_minutes: int
) -> TrainingProfile:
    if not principal.is_root:
        raise RootUserOnly("Only the root user can change the training settings.")
    if not 1 <= time_speed_factor <= MAX_TIME_SPEED_FACTOR:
        raise TrainingError(f"The time speed must be between 1 and {MAX_TIME_SPEED_FACTOR}.", field="time_speed_factor")
    if not 0 <= pickup_delay_minutes <= MAX_PICKUP_DELAY_MINUTES:
        raise TrainingError(
            f"The pick-up delay must be between 0 and {MAX_PICKUP_DELAY_MINUTES} minutes.", field="pickup_delay_minutes"
        )
    with transaction.atomic():
        profile, _ = TrainingProfile.objects.select_for_update().get_or_create(account=principal.account)
        profile.simulated_engineer = simulated_engineer
        profile.time_speed_factor = time_speed_factor
        profile.pickup_delay_minutes = pickup_delay_minutes
        profile.save(update_fields=["simulated_engineer", "time_speed_factor", "pickup_delay_minutes"])
    return profile
