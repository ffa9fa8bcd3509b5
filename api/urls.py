from django.urls import path, re_path

from . import attachment_links, views

app_name = "api"

# Clients may give the endpoint with or without its trailing slash.
urlpatterns = [
    re_path(r"^support/?$", views.support, name="support"),
    path("support/uploads/<str:upload_id>/<int:index>", attachment_links.upload_part, name="support-upload-part"),
    path("support/downloads/<str:attachment_id>", attachment_links.download, name="support-download"),
    re_path(r"^account/(?P<route>.*?)/?$", views.account, name="account"),
    re_path(r"^iam/?$", views.iam, name="iam"),
    re_path(r"^sts/?$", views.sts, name="sts"),
    re_path(r"^cloudtrail/?$", views.cloudtrail, name="cloudtrail"),
    # Anything else under /api/ still answers in AWS's error shape, never with an HTML page.
    re_path(r"^", views.unknown_service),
]
