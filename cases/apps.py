from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Support Center"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the account lifecycle receivers)
