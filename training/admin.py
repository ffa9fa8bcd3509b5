from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import Cohort, ReplyTemplate, TrainingProfile


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "support_plan", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def get_view_on_site_url(self, obj=None):
        return reverse("training:cohort-detail", args=[obj.pk]) if obj else None

    def has_add_permission(self, request):
        # Cohorts are opened from the instructor page, which hands out the sign-in details.
        return False

    def changelist_view(self, request, extra_context=None):
        """The staff site's Cohorts link leads to the instructor page, which lists them and opens new ones."""
        return redirect("training:cohort-list")


@admin.register(TrainingProfile)
class TrainingProfileAdmin(admin.ModelAdmin):
    list_display = (
        "account", "is_practice", "cohort", "simulated_engineer", "time_speed_factor", "pickup_delay_minutes", "last_activity_at"
    )
    list_filter = ("is_practice", "simulated_engineer", "cohort")
    search_fields = ("account__account_id", "account__root_email")
    list_select_related = ("account", "cohort")
    raw_id_fields = ("account",)
    readonly_fields = (
        "signed_up_from", "starting_name", "starting_support_plan", "created_at", "sandbox_started_at", "last_activity_at"
    )


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """The simulated engineer's reply library."""

    list_display = ("__str__", "purpose", "case_type", "service", "category")
    list_filter = ("purpose", "case_type")
    search_fields = ("body", "service__name", "category__name")
    list_select_related = ("service", "category__service")  # a category names its service
