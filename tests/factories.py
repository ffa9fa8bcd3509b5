"""factory-boy factories. Passwords are hashed once per process: argon2 is slow on purpose."""

import json
from functools import lru_cache

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Account, SupportPlan
from iam.models import IAMUser, Policy, PolicyVersion

ROOT_PASSWORD = "Root-Passw0rd!"
USER_PASSWORD = "User-Passw0rd!"


@lru_cache(maxsize=None)
def hashed(password: str) -> str:
    return make_password(password)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    account_id = factory.Sequence(lambda n: f"{200000000000 + n:012d}")
    canonical_user_id = factory.Sequence(lambda n: f"{n:064x}")
    name = factory.Sequence(lambda n: f"Account {n}")
    root_email = factory.Sequence(lambda n: f"root{n}@example.com")
    root_password = factory.LazyFunction(lambda: hashed(ROOT_PASSWORD))
    support_plan = SupportPlan.BUSINESS


class IAMUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IAMUser

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: hashed(USER_PASSWORD))


def policy_document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


class PolicyFactory(factory.django.DjangoModelFactory):
    """A customer managed policy; pass document=policy_document(...)."""

    class Meta:
        model = Policy
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Policy{n}")

    @factory.post_generation
    def document(policy, create, extracted, **kwargs):
        PolicyVersion.objects.create(
            policy=policy, version_id="v1", document=extracted or policy_document(allow("*")), is_default=True
        )
