"""The trainee's progress page and one exercise's page with its check."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.console import console_view

from ..exercises import find_exercise
from ..forms import EngineerSettingsForm
from ..selectors import ExerciseStatus, profile_of, progress
from ..services.exercises import check_exercise, check_open_exercises

# An answer is a user name or ARN; anything longer is cut rather than echoed back whole.
MAX_ANSWER = 256


def render_home(request, settings_form=None):
    profile = profile_of(request.account)
    if profile is None:
        return render(request, "training/not_practice.html")
    settings_form = settings_form or EngineerSettingsForm(
        initial={
            "simulated_engineer": profile.simulated_engineer,
            "time_speed_factor": profile.time_speed_factor,
            "pickup_delay_minutes": profile.pickup_delay_minutes,
        }
    )
    statuses = progress(check_open_exercises(profile))
    return render(
        request,
        "training/home.html",
        {
            "profile": profile,
            "statuses": statuses,
            "done_count": sum(status.done for status in statuses),
            "settings_form": settings_form,
            "iam_sign_in_url": request.build_absolute_uri(reverse("signin-account", args=[request.account.sign_in_reference])),
        },
    )


@console_view()
def home(request):
    return render_home(request)


def _profile_and_exercise(request, key):
    profile = profile_of(request.account)
    exercise = find_exercise(key)
    if profile is None or exercise is None:
        raise Http404("No such exercise.")
    return profile, exercise


@console_view()
def exercise_detail(request, key):
    profile, exercise = _profile_and_exercise(request, key)
    status = ExerciseStatus(exercise, check_exercise(profile, exercise)[0])
    return render(request, "training/exercise.html", {"status": status, "checked": False})


@require_POST
@console_view()
def exercise_check(request, key):
    """The "Check my work" button: htmx swaps in the result panel."""
    profile, exercise = _profile_and_exercise(request, key)
    answer = request.POST.get("answer", "")[:MAX_ANSWER]
    status = ExerciseStatus(exercise, *check_exercise(profile, exercise, answer=answer))
    template = "training/_check_result.html" if request.htmx else "training/exercise.html"
    return render(request, template, {"status": status, "checked": True})
