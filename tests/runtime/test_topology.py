"""The several-machine layout (compose.yaml) run natively: what a user of web A does, web B sees.

Two gunicorn web processes on two ports, a Celery worker and two Celery beats, all on the test PostgreSQL
database, a redis-server of the test's own and moto's S3 server as the object store. DEBUG is off; the
HTTPS-only production flags are left out because the test speaks plain HTTP on loopback (they are checked
by `manage.py check --deploy` in tests/foundation/test_settings.py).
"""

import html
import re
import time
from datetime import datetime, timedelta

import boto3
import pytest
import requests
from botocore.config import Config
from moto.server import ThreadedMotoServer

from advisor.models import CheckState
from cases.models import Case
from iam.services import create_access_key, create_service_linked_roles
from inbox.models import Message
from portal.middleware import QueuedWorkMiddleware
from portal.models import BeatLease, OutboxMessage
from tests.factories import ROOT_PASSWORD, AccountFactory

from .processes import free_port, wait_until_ready
from .topology import Role, Topology, log_times, require_topology_services, wait_for

pytestmark = [pytest.mark.topology, pytest.mark.django_db(transaction=True)]

BUCKET = "topology-attachments"
ENGINEER_SWEEP = 2  # seconds: TRAINING_ENGINEER_SWEEP_SECONDS of the topology
SENDS_ENGINEER_SWEEP = r"Sending due task training-simulated-engineer"


@pytest.fixture(scope="module")
def s3():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    client.create_bucket(Bucket=BUCKET)
    client.endpoint = endpoint
    yield client
    server.stop()


@pytest.fixture(scope="module")
def topology(django_db_setup, django_db_blocker, s3):
    with django_db_blocker.unblock():
        require_topology_services()
    running = Topology(s3_endpoint=s3.endpoint, bucket=BUCKET)
    yield running
    running.stop()


CASE = {
    "subject": "Instance stopped answering",
    "serviceCode": "amazon-elastic-compute-cloud-linux",
    "categoryCode": "instance-issue",
    "severityCode": "normal",
}


def signed_in_console(web: Role, account) -> requests.Session:
    """A browser session of the account's root user, signed in through `web`'s sign-in page."""
    browser = requests.Session()
    response = sign_in(browser, web, account.root_email, ROOT_PASSWORD)
    assert response.url.rstrip("/") == web.url, response.text[:500]
    return browser


def sign_in(browser: requests.Session, web: Role, email: str, password: str) -> requests.Response:
    page = browser.get(f"{web.url}/signin/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(
        f"{web.url}/signin/",
        data={"csrfmiddlewaretoken": token, "email": email, "password": password},
        headers={"Referer": f"{web.url}/signin/"},
        timeout=30,
    )


def support_api(web: Role, account):
    key, secret = create_access_key(account, None)
    return boto3.client(
        "support",
        endpoint_url=f"{web.url}/api/support/",
        region_name="us-east-1",
        aws_access_key_id=key.access_key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, read_timeout=30),
    )


def test_each_beat_job_runs_once_per_period_although_two_beats_run(topology):
    # Wait for one beat to hold the lease and to have sent the sweep at least once, then watch both logs.
    wait_for("a beat to hold the lease", lambda: BeatLease.objects.filter(last_run_at__has_key="training-simulated-engineer").exists(), timeout=30)
    holder, standby = sorted(topology.beats, key=lambda beat: -len(log_times(beat, "holds the lease")))
    start = datetime.now()
    time.sleep(5 * ENGINEER_SWEEP)
    holder.crash()  # its machine is gone: no clean shutdown, the lease runs out (BEAT_LEASE_SECONDS=3)
    wait_for("the standby to take over", lambda: log_times(standby, SENDS_ENGINEER_SWEEP) and log_times(standby, SENDS_ENGINEER_SWEEP)[-1] > start, timeout=20)
    time.sleep(3 * ENGINEER_SWEEP)
    end = datetime.now()

    sends = sorted(t for beat in (holder, standby) for t in log_times(beat, SENDS_ENGINEER_SWEEP) if start <= t <= end)
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(sends, sends[1:])]
    assert min(gaps) >= ENGINEER_SWEEP * 0.75, f"a period with two runs: {gaps}"
    # While the standby takes over, at most the lease (3 s) and one standby poll (1 s) go by without a run,
    # plus a period and some slack for a busy machine.
    assert max(gaps) <= ENGINEER_SWEEP + 3 + 1 + 3, gaps
    assert len(sends) >= (end - start) / timedelta(seconds=ENGINEER_SWEEP) - 3
    assert len([t for t in log_times(holder, SENDS_ENGINEER_SWEEP) if t >= start]) >= 3
    assert len([t for t in log_times(standby, SENDS_ENGINEER_SWEEP) if t >= start]) >= 2
    # The worker ran what was sent.
    wait_for(
        "the worker to run the sweeps",
        lambda: len([t for t in log_times(topology.worker, r"run_simulated_engineer\[.*\] succeeded") if t >= start]) >= len(sends) - 1,
        timeout=10,
    )


def test_a_file_sent_through_web_a_is_downloaded_in_the_console_on_web_b(topology, s3):
    account = AccountFactory()
    api = support_api(topology.web_a, account)
    data = b"Traceback (most recent call last):\n  instance i-0abc stopped answering\n"
    attachment_set = api.add_attachments_to_set(attachments=[{"fileName": "trace.txt", "data": data}])
    case_id = api.create_case(
        **CASE, communicationBody="See the attached trace.", attachmentSetId=attachment_set["attachmentSetId"]
    )["caseId"]
    (case,) = api.describe_cases(caseIdList=[case_id])["cases"]
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"attachments/{account.account_id}/")["Contents"]]
    assert len(keys) == 1

    console = signed_in_console(topology.web_b, account)
    page = console.get(f"{topology.web_b.url}/support/cases/{case['displayId']}/", timeout=10)
    assert page.status_code == 200 and "Instance stopped answering" in page.text
    link = re.search(r'href="(/support/attachments/[^"]+/)">trace.txt<', page.text).group(1)
    assert keys[0].endswith(link.rstrip("/").rsplit("/", 1)[1])
    download = console.get(f"{topology.web_b.url}{link}", timeout=10)
    assert download.status_code == 200 and download.content == data
    assert download.headers["Content-Disposition"] == 'attachment; filename="trace.txt"'

    # The permission check still stands between the bucket and anyone else.
    stranger = requests.get(f"{topology.web_b.url}{link}", allow_redirects=False, timeout=10)
    assert stranger.status_code == 302 and "/signin/" in stranger.headers["Location"]


def test_sign_in_failures_on_both_webs_count_together(topology):
    account = AccountFactory()
    browser = requests.Session()
    for web in (topology.web_a, topology.web_b, topology.web_a, topology.web_b):
        assert "Your authentication information is incorrect" in sign_in(browser, web, account.root_email, "wrong!").text
    # The fifth failure, on web B, reaches SIGN_IN_FAILURE_LIMIT=5: the right password on web A is refused too.
    sign_in(browser, topology.web_b, account.root_email, "wrong!")
    refused = sign_in(browser, topology.web_a, account.root_email, ROOT_PASSWORD)
    assert "Too many failed sign-in attempts" in refused.text
    assert browser.get(f"{topology.web_a.url}/support/", allow_redirects=False, timeout=10).status_code == 302


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_with_redis_stopped_no_case_comment_or_refresh_request_is_lost(topology):
    account = AccountFactory()
    create_service_linked_roles(account)  # Trusted Advisor is on
    api_a, api_b = support_api(topology.web_a, account), support_api(topology.web_b, account)
    console = signed_in_console(topology.web_a, account)
    dashboard = f"{topology.web_a.url}/trusted-advisor/"
    console.get(dashboard, timeout=10)

    topology.redis.stop()
    # Each answers at once (the broker's timeouts are a second or two), well inside what a user waits.
    case_id, opening = timed(lambda: api_a.create_case(**CASE, communicationBody="It stopped at noon.")["caseId"])
    _, replying = timed(lambda: api_b.add_communication_to_case(caseId=case_id, communicationBody="Still down."))
    refresh, refreshing = timed(
        lambda: console.post(
            f"{dashboard}refresh-all/",
            headers={"X-CSRFToken": console.cookies["csrftoken"], "Referer": dashboard},
            timeout=30,
        )
    )
    assert max(opening, replying, refreshing) < 5, (opening, replying, refreshing)
    assert refresh.status_code == 200 and html.escape(QueuedWorkMiddleware.MESSAGE) in refresh.text
    case = Case.objects.get(case_id=case_id)
    assert list(case.communications.order_by("time_created").values_list("body", flat=True)) == [
        "It stopped at noon.",
        "Still down.",
    ]
    enqueued = CheckState.objects.filter(account=account, refresh_status="enqueued")
    requested = set(enqueued.values_list("check_id", flat=True))
    assert requested and OutboxMessage.objects.count() == len(requested)

    topology.restart_redis()
    wait_for(
        "the refreshes asked for while Redis was down to run",
        lambda: set(CheckState.objects.filter(account=account, refresh_status="success").values_list("check_id", flat=True))
        >= requested,
        timeout=45,
    )
    assert not OutboxMessage.objects.exists()
    assert case.communications.count() == 2


def test_a_web_process_that_stops_first_hands_over_the_case_emails_it_was_batching(topology):
    """The emails wait up to CASE_EMAIL_BATCH_SECONDS to leave together; a web process asked to stop sooner
    (a deploy) hands them over as it exits."""
    account = AccountFactory()
    web = topology._web("web-stopping", CASE_EMAIL_BATCH_SECONDS="600")
    wait_until_ready(web.url, web.process, timeout=120)
    api = support_api(web, account)
    subjects = [f"Batched before the stop {number}" for number in range(3)]
    for subject in subjects:
        api.create_case(**{**CASE, "subject": subject}, communicationBody="Sent just before a deploy.")
    assert web.stop() == set()
    wait_for(
        "the emails of the cases opened just before the stop",
        lambda: set(Message.objects.filter(account=account).values_list("subject", flat=True))
        >= {f"[Case {case.display_id}] {case.subject}" for case in Case.objects.filter(account=account)},
        timeout=45,
    )
    assert Case.objects.filter(account=account).count() == len(subjects)
