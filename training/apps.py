from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from cases.chat import customer_wrote

        from .services.chat_engineer import on_customer_wrote

        customer_wrote.connect(on_customer_wrote, dispatch_uid="training-chat-engineer")
