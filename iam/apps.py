from django.apps import AppConfig
from django.db.models import CharField
from django.db.models.functions import Lower
from django.db.models.signals import post_migrate


class IamConfig(AppConfig):
    name = "iam"
    verbose_name = "IAM"

    def ready(self) -> None:
        from . import policy_versions, receivers  # noqa: F401  (receivers: the account lifecycle)
        from .managed_policies import sync_aws_managed_policies

        # The AWS managed policy catalogue is data shipped with the code: keep the
        # database in step after every migrate, wherever it runs.
        post_migrate.connect(sync_aws_managed_policies, sender=self)
        policy_versions.connect()
        # name__lower=...: IAM names are unique whatever their case, by indexes on lower(name), which a lookup
        # must name as they do to be answered from them (name__iexact compares upper() and reads every row).
        CharField.register_lookup(Lower)
