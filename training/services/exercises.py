"""Marking exercises done when their check passes."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..checks import Unmet
from ..exercises import CATALOGUE, Exercise
from ..models import ExerciseCompletion, TrainingProfile


def _record_completion(profile: TrainingProfile, exercise: Exercise, now: datetime | None) -> ExerciseCompletion:
    with transaction.atomic():
        completion, _ = ExerciseCompletion.objects.get_or_create(
            profile=profile, exercise=exercise.key, defaults={"completed_at": now or timezone.now()}
        )
    return completion


def check_exercise(
    profile: TrainingProfile, exercise: Exercise, now: datetime | None = None, answer: str = ""
) -> tuple[ExerciseCompletion | None, list[Unmet]]:
    """Run the exercise's check (with the trainee's answer to its question, if it asks one); record the first
    time it passes. Done stays done.

    Returns the completion (None while not done) and what is still missing."""
    done = ExerciseCompletion.objects.filter(profile=profile, exercise=exercise.key).first()
    if done is not None:
        return done, []
    unmet = exercise.unmet(profile, answer)
    if unmet:
        return None, unmet
    return _record_completion(profile, exercise, now), []


def check_open_exercises(profile: TrainingProfile, now: datetime | None = None) -> dict[str, ExerciseCompletion]:
    """Check every exercise not yet done; returns all completions by exercise key."""
    completions = {done.exercise: done for done in profile.completions.all()}
    for exercise in CATALOGUE:
        if exercise.key not in completions and not exercise.unmet(profile):
            completions[exercise.key] = _record_completion(profile, exercise, now)
    return completions
