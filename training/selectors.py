"""Reads for training."""

from dataclasses import dataclass, field

from django.db.models import Count

from accounts.models import Account
from cases.models import Case
from events.models import Event

from .exercises import CATALOGUE, Exercise
from .models import Cohort, ExerciseCompletion, TrainingProfile


@dataclass
class ExerciseStatus:
    exercise: Exercise
    completion: ExerciseCompletion | None
    unmet: list = field(default_factory=list)  # checks.Unmet, after "Check my work"

    @property
    def done(self) -> bool:
        return self.completion is not None


def profile_of(account: Account) -> TrainingProfile | None:
    return TrainingProfile.objects.filter(account=account).first()


def progress(completions: dict[str, ExerciseCompletion]) -> list[ExerciseStatus]:
    return [ExerciseStatus(exercise, completions.get(exercise.key)) for exercise in CATALOGUE]


@dataclass
class ExerciseShare:
    exercise: Exercise
    done: int
    percent: int


def cohorts(user):
    """The cohorts `user` runs (created); a superuser sees every cohort."""
    mine = Cohort.objects.all() if user.is_superuser else Cohort.objects.filter(created_by=user)
    return mine.annotate(accounts=Count("profiles")).select_related("created_by")


RECENT = 20


def trainee_overview(profile: TrainingProfile) -> dict:
    """What an instructor sees of one trainee: exercises with when they were done, cases, recent events."""
    done = {completion.exercise: completion.completed_at for completion in profile.completions.all()}
    return {
        "exercises": [(exercise, done.get(exercise.key)) for exercise in CATALOGUE],
        "cases": Case.objects.filter(account=profile.account).select_related("severity").order_by("-time_created")[:RECENT],
        "events": Event.objects.filter(account=profile.account).order_by("-event_time", "-pk")[:RECENT],
    }


def progress_rows(cohort: Cohort):
    """For the CSV export: each trainee with the completion time of every exercise (one query)."""
    for profile in cohort.profiles.select_related("account").prefetch_related("completions").order_by("account__root_email"):
        done = {completion.exercise: completion.completed_at for completion in profile.completions.all()}
        yield profile, [done.get(exercise.key) for exercise in CATALOGUE]


def cohort_members(cohort: Cohort):
    """The cohort's practice accounts with how many exercises each finished (sortable by it)."""
    return (
        cohort.profiles.select_related("account")
        .prefetch_related("completions")
        .annotate(done_count=Count("completions"))
    )


def exercise_shares(cohort: Cohort) -> list[ExerciseShare]:
    """For the chart: how many of the cohort finished each exercise, in one query."""
    size = cohort.profiles.count()
    done = dict(
        ExerciseCompletion.objects.filter(profile__cohort=cohort)
        .values_list("exercise")
        .annotate(trainees=Count("profile", distinct=True))
    )
    return [
        ExerciseShare(exercise, done.get(exercise.key, 0), round(100 * done.get(exercise.key, 0) / size) if size else 0)
        for exercise in CATALOGUE
    ]
