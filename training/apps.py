from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from cases.calls import call_requested
        from cases.chat import customer_wrote
        from portal import clock

        from .clock import time_speed

        from .services.call_engineer import on_call_requested
        from .services.chat_engineer import on_customer_wrote

        customer_wrote.connect(on_customer_wrote, dispatch_uid="training-chat-engineer")
        call_requested.connect(on_call_requested, dispatch_uid="training-call-engineer")
        clock.install(time_speed)
