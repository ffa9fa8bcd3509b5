from django.urls import re_path

from . import views

app_name = "api"

# Clients may give the endpoint with or without its trailing slash.
urlpatterns = [
    re_path(r"^support/?$", views.support, name="support"),
    re_path(r"^account/(?P<route>[A-Za-z]*)/?$", views.account, name="account"),
    re_path(r"^iam/?$", views.iam, name="iam"),
]
