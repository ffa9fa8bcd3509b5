from django.contrib import admin
from django.urls import include, path

from iam.views.signin import sign_in, sign_out

from . import health, views

admin.site.site_header = "Console Sandbox staff"
admin.site.site_title = "Console Sandbox staff"
admin.site.index_title = "Support engineering"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("signin/", sign_in, name="signin"),
    path("signin/<str:reference>/", sign_in, name="signin-account"),
    path("signout/", sign_out, name="signout"),
    path("support/", include("cases.urls")),
    path("account/", include("accounts.urls")),
    path("iam/", include("iam.urls")),
    path("trusted-advisor/", include("advisor.urls")),
    path("training/", include("training.urls")),
    path("api/", include("api.urls")),
    path("cloudtrail/", include("events.urls")),
    path("mail/", include("inbox.urls")),
    path("staff/", admin.site.urls),
]
