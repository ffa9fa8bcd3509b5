from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import lookups  # noqa: F401 - registers field__among
        from django.db.backends.signals import connection_created

        from .timestamps import load_timestamps_natively

        connection_created.connect(load_timestamps_natively, dispatch_uid="portal.timestamps")
        # Every console form's text field refuses control characters (portal.hygiene), as the API does.
        from django import forms

        from .hygiene import refuse_control_characters

        forms.CharField.default_validators = [*forms.CharField.default_validators, refuse_control_characters]
