from django.urls import path

from . import chat_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="home"),
    path("cases/new/", views.create_case, name="create"),
    path("cases/<int:display_id>/", views.case_detail, name="detail"),
    path("cases/<int:display_id>/reply/", views.reply, name="reply"),
    path("cases/<int:display_id>/resolve/", views.resolve, name="resolve"),
    path("cases/<int:display_id>/chat/", chat_views.chat_log, name="chat-log"),
    path("cases/<int:display_id>/chat/start/", chat_views.chat_start, name="chat-start"),
    path("cases/<int:display_id>/chat/send/", chat_views.chat_send, name="chat-send"),
    path("cases/<int:display_id>/chat/end/", chat_views.chat_end, name="chat-end"),
    path("cases/<int:display_id>/call/", views.request_call, name="call-request"),
    path("attachments/<str:attachment_id>/", views.download_attachment, name="attachment"),
]
