"""Reads for training."""

from dataclasses import dataclass

from django.db.models import Count

from accounts.models import Account

from .exercises import CATALOGUE, Exercise
from .models import Cohort, ExerciseCompletion, TrainingProfile


@dataclass
class ExerciseStatus:
    exercise: Exercise
    completion: ExerciseCompletion | None

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


def cohorts():
    return Cohort.objects.annotate(accounts=Count("profiles")).select_related("created_by")


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
