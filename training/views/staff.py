"""Instructor pages (Django staff): create a cohort and download its sign-in details, follow its progress."""

import csv

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from portal.tables import sorted_page

from ..exercises import CATALOGUE
from ..forms import CohortForm, CohortMessageForm
from ..models import Cohort, TrainingProfile
from ..selectors import cohort_members, cohorts, exercise_shares, progress_rows, trainee_overview
from ..services.cohorts import check_cohort, create_cohort, message_cohort, reset_trainee

MEMBER_COLUMNS = {
    "email": ("Root user email", "account__root_email"),
    "account": ("Account ID", "account__account_id"),
    "done": ("Exercises done", "done_count"),
    "activity": ("Last activity", "last_activity_at"),
}


def _sign_in_details_csv(request, cohort, details) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{slugify(cohort.name) or "cohort"}-sign-in-details.csv"'
    writer = csv.writer(response)
    writer.writerow(["Account ID", "Sign-in URL", "Root user email", "Password"])
    sign_in_url = request.build_absolute_uri(reverse("signin"))
    for row in details:
        writer.writerow([row.account_id, sign_in_url, row.root_email, row.password])
    return response


@staff_member_required
@permission_required("training.view_cohort", raise_exception=True)
def cohort_list(request):
    """Lists cohorts; the create form answers with the CSV, the only time the passwords are readable."""
    may_create = request.user.has_perm("training.add_cohort")
    form = CohortForm(request.POST or None)
    if request.method == "POST" and not may_create:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        cohort, details = create_cohort(**form.cleaned_data, created_by=request.user)
        return _sign_in_details_csv(request, cohort, details)
    table = sorted_page(request, cohorts(request.user), {"name": ("Name", "name"), "created": ("Created", "created_at")}, "-created")
    return render(request, "training/staff/cohort_list.html", {"form": form, "table": table, "may_create": may_create})


@staff_member_required
@permission_required("training.view_cohort", raise_exception=True)
def cohort_detail(request, pk):
    return _cohort_page(request, _my_cohort(request, pk))


def _cohort_page(request, cohort, message_form=None):
    table = sorted_page(request, cohort_members(cohort), MEMBER_COLUMNS, "email")
    for profile in table.page:
        profile.done_keys = {completion.exercise for completion in profile.completions.all()}
    return render(
        request,
        "training/staff/cohort_detail.html",
        {"cohort": cohort, "table": table, "exercises": CATALOGUE, "shares": exercise_shares(cohort),
         "message_form": message_form or CohortMessageForm()},
        status=400 if message_form is not None else 200,
    )


def _my_cohort(request, pk) -> Cohort:
    """Instructors reach only the cohorts they run (superusers every one); others get a 404."""
    return get_object_or_404(cohorts(request.user), pk=pk)


def _my_trainee(request, pk, profile_pk) -> tuple[Cohort, TrainingProfile]:
    cohort = _my_cohort(request, pk)
    return cohort, get_object_or_404(cohort.profiles.select_related("account"), pk=profile_pk)


@staff_member_required
@permission_required("training.view_cohort", raise_exception=True)
def trainee_detail(request, pk, profile_pk):
    cohort, profile = _my_trainee(request, pk, profile_pk)
    return render(request, "training/staff/trainee_detail.html",
                  {"cohort": cohort, "profile": profile, **trainee_overview(profile)})


@require_POST
@staff_member_required
@permission_required("training.change_cohort", raise_exception=True)
def trainee_reset(request, pk, profile_pk):
    cohort, profile = _my_trainee(request, pk, profile_pk)
    fresh = reset_trainee(cohort, profile.pk)
    messages.success(request, f"The sandbox of {fresh.root_email} is back to its starting state; their progress stays.")
    return redirect("training:trainee-detail", pk=cohort.pk, profile_pk=fresh.training_profile.pk)


@require_POST
@staff_member_required
@permission_required("training.change_cohort", raise_exception=True)
def cohort_message(request, pk):
    cohort = _my_cohort(request, pk)
    form = CohortMessageForm(request.POST)
    if not form.is_valid():
        return _cohort_page(request, cohort, message_form=form)
    sent = message_cohort(cohort, **form.cleaned_data, instructor=request.user)
    messages.success(request, f"Message sent to {sent} trainee(s); it is in their Mail.")
    return redirect("training:cohort-detail", pk=cohort.pk)


@staff_member_required
@permission_required("training.view_cohort", raise_exception=True)
def cohort_progress_csv(request, pk):
    cohort = _my_cohort(request, pk)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{slugify(cohort.name) or "cohort"}-progress.csv"'
    writer = csv.writer(response)
    writer.writerow(["Account ID", "Root user email", "Last activity", *[exercise.title for exercise in CATALOGUE]])
    for profile, done in progress_rows(cohort):
        writer.writerow([profile.account.account_id, profile.account.root_email, profile.last_activity_at.isoformat(),
                         *[when.isoformat() if when else "" for when in done]])
    return response


@require_POST
@staff_member_required
@permission_required("training.change_cohort", raise_exception=True)
def cohort_check(request, pk):
    cohort = _my_cohort(request, pk)
    check_cohort(cohort)
    messages.success(request, "Every trainee's exercises were checked just now.")
    return redirect("training:cohort-detail", pk=cohort.pk)
