from django.urls import path

from .views import practice, progress, staff

app_name = "training"

urlpatterns = [
    path("", progress.home, name="home"),
    path("start/", practice.start, name="start"),
    path("reset/", practice.reset, name="reset"),
    path("settings/", practice.engineer_settings, name="settings"),
    path("exercises/<slug:key>/", progress.exercise_detail, name="exercise"),
    path("exercises/<slug:key>/check/", progress.exercise_check, name="exercise-check"),
    path("staff/cohorts/", staff.cohort_list, name="cohort-list"),
    path("staff/cohorts/<int:pk>/", staff.cohort_detail, name="cohort-detail"),
    path("staff/cohorts/<int:pk>/check/", staff.cohort_check, name="cohort-check"),
    path("staff/cohorts/<int:pk>/message/", staff.cohort_message, name="cohort-message"),
    path("staff/cohorts/<int:pk>/progress.csv", staff.cohort_progress_csv, name="cohort-progress-csv"),
    path("staff/cohorts/<int:pk>/trainees/<int:profile_pk>/", staff.trainee_detail, name="trainee-detail"),
    path("staff/cohorts/<int:pk>/trainees/<int:profile_pk>/reset/", staff.trainee_reset, name="trainee-reset"),
]
