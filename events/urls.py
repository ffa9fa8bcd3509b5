from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_history, name="history"),
    path("events/<uuid:event_id>/", views.event_detail, name="detail"),
    path("download.<str:file_format>", views.event_download, name="download"),
]
