from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.mail_list, name="list"),
    path("unread/", views.unread_badge, name="unread"),
    path("<int:pk>/", views.mail_detail, name="detail"),
    path("<int:pk>/html/", views.mail_html_part, name="html-part"),
]
