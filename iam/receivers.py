"""IAM's reactions to the account lifecycle."""

from django.dispatch import receiver

from accounts.signals import account_opened

from .services import create_service_linked_roles


@receiver(account_opened, dispatch_uid="iam.service_linked_roles")
def give_new_account_its_service_linked_roles(sender, account, **_):
    create_service_linked_roles(account)
