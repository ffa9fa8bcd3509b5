import pytest

from iam.principals import Principal
from tests.conftest import console_client_for
from training.services.practice import open_practice_account

TRAINEE_PASSWORD = "Practise!2026"


@pytest.fixture
def practice_account(db):
    return open_practice_account(email="trainee@example.com", password=TRAINEE_PASSWORD, support_plan="business")


@pytest.fixture
def trainee_client(practice_account):
    return console_client_for(Principal(account=practice_account))


@pytest.fixture
def profile(practice_account):
    return practice_account.training_profile
