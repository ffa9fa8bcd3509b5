from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "AWS wire API"
