from django.urls import path

from . import views

app_name = "advisor"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("summary/", views.summary, name="summary"),
    path("refresh-all/", views.refresh_all, name="refresh-all"),
    path("checks/<str:check_id>/", views.check_head, name="check-head"),
    path("checks/<str:check_id>/refresh/", views.refresh_check, name="refresh-check"),
    path("checks/<str:check_id>/resources/", views.check_resources, name="check-resources"),
    path("checks/<str:check_id>/resources.csv", views.check_resources_csv, name="check-resources-csv"),
    path("checks/<str:check_id>/resources/<int:resource_pk>/exclude/", views.exclude_resource, name="exclude-resource"),
    path("checks/<str:check_id>/resources/<int:resource_pk>/include/", views.include_resource, name="include-resource"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/weekly-summary/", views.save_weekly_summary, name="weekly-summary"),
    path("preferences/rules/", views.add_rule, name="add-rule"),
    path("preferences/enable/", views.enable, name="enable"),
    path("preferences/disable/", views.disable, name="disable"),
    path("preferences/rules/<int:rule_id>/delete/", views.delete_rule, name="delete-rule"),
]
