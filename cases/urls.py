from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="home"),
    path("cases/new/", views.create_case, name="create"),
    path("cases/<int:display_id>/", views.case_detail, name="detail"),
    path("cases/<int:display_id>/reply/", views.reply, name="reply"),
    path("cases/<int:display_id>/resolve/", views.resolve, name="resolve"),
    path("attachments/<str:attachment_id>/", views.download_attachment, name="attachment"),
]
