"""A console view of each kind, to watch the event-history hook in portal.console."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from portal.console import console_view


@console_view("iam:CreateGroup")
def create_group(request):
    if request.POST.get("name") == "bad":
        return HttpResponse("form with errors", status=200)
    return redirect("/done/")


@console_view(event="iam:DeleteUser")
def delete_user(request):
    return redirect("/done/")


@console_view("iam:ListUsers")
def list_users(request):
    return redirect("/done/")


urlpatterns = [
    path("create-group/", create_group),
    path("delete-user/", delete_user),
    path("list-users/", list_users),
    path("", include("portal.urls")),
]
