from django.shortcuts import render

from .console import console_view


@console_view()
def home(request):
    return render(request, "portal/home.html")
