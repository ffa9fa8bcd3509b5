from django.urls import path, re_path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_history, name="history"),
    path("events/<uuid:event_id>/", views.event_detail, name="detail"),
    re_path(r"^download\.(?P<file_format>json|csv)$", views.event_download, name="download"),
]
