"""/healthz and /readyz: for load balancers, without authentication, naming only what failed."""

import pytest

from .broker import unreachable_broker  # noqa: F401 (fixture)


def attachments_in(settings, location):
    settings.STORAGES = settings.STORAGES | {
        "attachments": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    }


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reaches_database_broker_and_storage(client, tmp_path, settings):
    attachments_in(settings, tmp_path / "attachments")
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}, "failed": []}


@pytest.mark.django_db
def test_readyz_names_the_unreachable_broker_and_nothing_about_it(client, unreachable_broker):  # noqa: F811
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert unreachable_broker not in response.content.decode()  # no address of the broker


@pytest.mark.django_db
def test_readyz_names_unwritable_attachment_storage(client, tmp_path, settings):
    (tmp_path / "a-file").write_text("not a folder")
    attachments_in(settings, tmp_path / "a-file")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
