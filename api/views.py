from django.views.decorators.csrf import csrf_exempt

from . import service_models
from .dispatch import handle, unknown_endpoint


@csrf_exempt
def support(request):
    return handle(request, service_models.SUPPORT)


@csrf_exempt
def account(request, route=""):
    return handle(request, service_models.ACCOUNT)


@csrf_exempt
def iam(request):
    return handle(request, service_models.IAM)


@csrf_exempt
def sts(request):
    return handle(request, service_models.STS)


@csrf_exempt
def cloudtrail(request):
    return handle(request, service_models.CLOUDTRAIL)


@csrf_exempt
def unknown_service(request):
    return unknown_endpoint(request.path)
