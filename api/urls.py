from django.urls import re_path

from . import views

app_name = "api"

# Clients may give the endpoint with or without its trailing slash.
urlpatterns = [
    re_path(r"^support/?$", views.support, name="support"),
    re_path(r"^account/(?P<route>.*?)/?$", views.account, name="account"),
    re_path(r"^iam/?$", views.iam, name="iam"),
    re_path(r"^sts/?$", views.sts, name="sts"),
    re_path(r"^cloudtrail/?$", views.cloudtrail, name="cloudtrail"),
    # Anything else under /api/ still answers in AWS's error shape, never with an HTML page.
    re_path(r"^", views.unknown_service),
]
