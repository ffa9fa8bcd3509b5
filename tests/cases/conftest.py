import pytest

from iam.principals import Principal

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
TEXT = "plain text log ✓\n".encode()


@pytest.fixture
def root(account):
    return Principal(account=account)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("engineer1", password="Staff-Passw0rd!", is_staff=True, is_superuser=True)


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
