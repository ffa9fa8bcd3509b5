import pytest
from django.contrib.auth.models import Group

from cases.staff_roles import SUPPORT_ENGINEERS, ensure_staff_groups
from iam.principals import Principal

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
TEXT = "plain text log ✓\n".encode()
STAFF_PASSWORD = "Staff-Passw0rd!"


@pytest.fixture
def root(account):
    return Principal(account=account)


@pytest.fixture
def support_engineer(django_user_model):
    """Staff with only the Support engineers group, like the demo `engineer` (the group is rebuilt: flushes drop it)."""
    ensure_staff_groups()
    engineer = django_user_model.objects.create_user("engineer1", password=STAFF_PASSWORD, is_staff=True)
    engineer.groups.add(Group.objects.get(name=SUPPORT_ENGINEERS))
    return engineer


@pytest.fixture(params=["superuser", "support engineer"])
def staff_user(request, django_user_model):
    """Every staff flow is run by a superuser and by a least-privilege support engineer."""
    if request.param == "support engineer":
        return request.getfixturevalue("support_engineer")
    return django_user_model.objects.create_user("engineer1", password=STAFF_PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def ec2_case_arguments(**overrides) -> dict:
    return {
        "subject": "Failed status checks",
        "communication_body": "My instance stopped answering.",
        "service_code": "amazon-elastic-compute-cloud-linux",
        "category_code": "instance-issue",
        "severity_code": "normal",
        **overrides,
    }
