import contextlib
import importlib
import os

import botocore.endpoint
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, override_settings

from cases.models import SeverityLevel
from cases.staff_roles import ensure_staff_groups
from iam.principals import Principal
from iam.sessions import SESSION_KEY, session_payload
from portal.after_response import wait_until_settled
from training.models import ReplyTemplate

from .celery_worker import require_real_services, start_worker
from .factories import AccountFactory, IAMUserFactory, PolicyFactory, policy_document


def pytest_configure(config):
    """Without Redis there is no worker for the suite to talk to: tasks run in-process.
    With Redis (CI) they are sent to this run's queue, and the real-worker tests consume them."""
    if not os.environ.get("REDIS_URL"):
        import celery.app.task

        from portal.celery import app as celery_app

        celery_app.conf.task_always_eager = True
        # An eager task marks the whole process as inside a task while it runs (denied_join_result: a flag of
        # the process, set and restored without a lock). One run in another thread (a batch of case emails
        # handed over after a response) made a test's result.get() refuse, and two overlapping left it set for
        # good. With no worker to wait on, nothing here needs the mark.
        celery.app.task.denied_join_result = contextlib.nullcontext


DATABASE_FIXTURES = {"db", "transactional_db", "_django_db_helper"}


@pytest.fixture(autouse=True)
def support_catalog(request, django_db_blocker):
    """What data migrations put in every database (the support catalog, the simulated engineer's reply
    library, the staff groups): a transactional test that ran before this one in the same process
    flushed it, so it is put back."""
    if not (request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not SeverityLevel.objects.exists():
            importlib.import_module("cases.migrations.0002_catalog").load_catalog(apps, None)
        if not ReplyTemplate.objects.exists():
            importlib.import_module("training.migrations.0003_seed_reply_templates").seed(apps, None)
        if not Group.objects.exists():
            ensure_staff_groups(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and before they are dropped, the end of the sessions the live server's
    threads still hold: a client that kept its connection alive (boto3 does, now that API answers say their
    length) keeps the thread that served it, and that thread's database connection, until the run ends."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True, scope="session")
def attachment_files(tmp_path_factory):
    """Attachments stored by tests go to a directory of this run, not the checkout's media/."""
    storages = settings.STORAGES | {
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("attachments")},
        }
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def sandbox_mailbox(settings):
    """The portal's own email layer in every test: the sandbox mailbox stores, then locmem (mail.outbox) gets it.

    pytest-django swaps EMAIL_BACKEND for locmem; put the mailbox back in front of it.
    """
    settings.EMAIL_BACKEND = "inbox.backend.MailboxBackend"
    settings.SANDBOX_MAIL_FORWARD_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters of one test must not throttle the next; on Redis only this run's keys go."""
    yield
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def account(db):
    return AccountFactory()


@pytest.fixture
def other_account(db):
    return AccountFactory()


def console_client_for(principal: Principal) -> Client:
    """A test client already signed in to the console as `principal`."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = session_payload(principal)
    session.save()
    return client


@pytest.fixture
def root_client(account):
    return console_client_for(Principal(account=account))


@pytest.fixture
def make_user(db):
    """make_user(account, *statements, name=...) -> IAM user with one managed policy holding the statements."""

    def make(account, *statements, **fields):
        user = IAMUserFactory(account=account, **fields)
        if statements:
            user.attached_policies.add(PolicyFactory(account=account, document=policy_document(*statements)))
        return user

    return make


@pytest.fixture
def user_client(make_user):
    """user_client(account, *statements) -> a client signed in as a fresh IAM user with those permissions."""

    def make(account, *statements, **fields):
        user = make_user(account, *statements, **fields)
        return console_client_for(Principal(account=account, user=user))

    return make


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real worker process on Redis and the test PostgreSQL database (tests need transaction=True)."""
    require_real_services()
    worker = start_worker()
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def api_calls_settled(monkeypatch):
    """An API call answers before the work it leaves for later (its history line, its email: see
    portal.after_response); a test reads what a boto3 call left once that work has run in the live server."""
    send = botocore.endpoint.Endpoint.make_request

    def make_request(self, *args, **kwargs):
        try:
            return send(self, *args, **kwargs)
        finally:
            wait_until_settled()

    monkeypatch.setattr(botocore.endpoint.Endpoint, "make_request", make_request)


@pytest.fixture(autouse=True)
def correspondence_mailed_in_process(request, monkeypatch):
    """Correspondence emails are written by a task after the commit; a test that reads them (mail.outbox, the
    sandbox mailbox) gets them in its own process, also in CI, unless it runs the real worker."""
    if not settings.REDIS_URL or {"task_runner", "celery_worker"} & set(request.fixturenames):
        return
    from cases.tasks import send_correspondence

    monkeypatch.setattr(send_correspondence, "apply_async",
                        lambda args=None, kwargs=None, **options: send_correspondence.apply(args, kwargs))


@pytest.fixture
def task_runner(request):
    """Whatever runs the tasks a test's requests send: the real worker when the suite has Redis (CI),
    in-process otherwise. A test that waits on a task's effect must ask for it, or in CI nothing
    consumes its queue unless another test of the same process happened to start the worker."""
    if settings.REDIS_URL:
        return request.getfixturevalue("celery_worker")
    return None


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls in
    # test bodies are still synchronous, so Django's async guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(chromium, live_server):
    from .browser import WAIT_MS

    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()
