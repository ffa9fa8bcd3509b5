"""Exercises that teach: "Check my work" names each unmet condition with a link to where it is fixed, the
labels the steps quote are on the pages they name, and the newer exercises pass on real account state."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from advisor.models import FlaggedResource
from cases import chat as chats
from cases import services as cases
from events.models import Event
from iam.models import Policy
from iam.principals import Principal
from iam.services import attach_policy, create_access_key, create_role, create_user
from inbox.models import Message
from tests.api.wire import signed_headers
from tests.cases.conftest import ec2_case_arguments
from training.exercises import CATALOGUE, find_exercise

pytestmark = pytest.mark.django_db

AUDITOR = "111122223333"


def passes(profile, key: str) -> bool:
    return not find_exercise(key).check(profile)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_label_an_exercise_quotes_is_on_the_page_it_names(practice_account, trainee_client):
    anonymous = Client()
    for exercise in CATALOGUE:
        for url_name, label in exercise.labels:
            client = anonymous if url_name == "signin" else trainee_client
            response = client.get(reverse(url_name))
            assert response.status_code == 200, (exercise.key, url_name)
            assert label in page_text(response), f"{exercise.key}: '{label}' is not on {url_name}"
            assert any(label in text for text in exercise.steps), f"{exercise.key}: '{label}' is in no step"


def test_check_my_work_lists_each_unmet_condition_with_a_working_link(practice_account, trainee_client):
    for exercise in CATALOGUE:
        response = trainee_client.post(reverse("training:exercise-check", args=[exercise.key]), HTTP_HX_REQUEST="true")
        page = page_text(response)
        assert "Not yet" in page, exercise.key
        conditions = page.split('data-testid="unmet-conditions">', 1)[1].split("</ul>", 1)[0]
        links = re.findall(r'<li>(.+?) <a href="([^"]+)">Fix it here</a></li>', conditions)
        assert links, exercise.key
        for text, url in links:
            assert text.strip(), exercise.key
            assert trainee_client.get(url).status_code == 200, (exercise.key, url)


def test_root_email_change_counts_once_confirmed_with_the_code_from_mail(
    practice_account, trainee_client, django_capture_on_commit_callbacks
):
    profile = practice_account.training_profile
    with django_capture_on_commit_callbacks(execute=True):
        trainee_client.post(reverse("accounts:home"), {"panel": "email", "new_email": "moved@example.com"})
    (unmet,) = find_exercise("root-email-change").check(profile)
    assert "moved@example.com" in unmet.text and unmet.url == reverse("inbox:list")
    code = re.search(r"code is (\d{6})", Message.objects.get(account=practice_account, to=["moved@example.com"]).text_body)
    with django_capture_on_commit_callbacks(execute=True):
        trainee_client.post(reverse("accounts:home"), {"panel": "email_code", "otp": code.group(1)})
    assert passes(profile, "root-email-change")


def test_service_limit_increase_needs_that_case_type(practice_account):
    profile = practice_account.training_profile
    cases.create_case(Principal(account=practice_account), subject="Broken", communication_body="Down.",
                      service_code="amazon-elastic-compute-cloud-linux", category_code="instance-issue",
                      severity_code="normal")
    assert not passes(profile, "service-limit-increase")
    cases.create_case(Principal(account=practice_account), subject="More VPCs", communication_body="We need 10.",
                      service_code="service-limit-increase", category_code="vpc", severity_code="low")
    assert passes(profile, "service-limit-increase")


def test_cli_exercise_needs_a_call_signed_with_a_new_access_key(practice_account):
    profile = practice_account.training_profile
    user = create_user(practice_account, "automation")
    key, secret = create_access_key(practice_account, user)
    (unmet,) = find_exercise("cli-access-key").check(profile)
    assert unmet.url == reverse("events:history")
    body = "Action=ListUsers&Version=2010-05-08"
    headers = signed_headers("http://testserver/api/iam/", "iam", key.access_key_id, secret, body.encode(),
                             {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items() if name.lower() != "content-type"}
    response = Client().generic("POST", "/api/iam/", body.encode(), content_type=headers["Content-Type"], HTTP_HOST="testserver", **meta)
    assert response.status_code in (200, 403), response.content
    assert passes(profile, "cli-access-key"), response.content


def trust(principal: str, external_id: str | None) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_external_auditor_role_needs_another_account_an_external_id_and_permissions(practice_account):
    profile = practice_account.training_profile
    check = find_exercise("external-auditor-role").check
    create_role(practice_account, "own", trust(f"arn:aws:iam::{practice_account.account_id}:root", None))
    assert "trusts another AWS account" in check(profile)[0].text
    create_role(practice_account, "auditor-open", trust(f"arn:aws:iam::{AUDITOR}:root", None))
    assert "sts:ExternalId" in check(profile)[0].text
    role = create_role(practice_account, "auditor", trust(f"arn:aws:iam::{AUDITOR}:root", "audit-2026"))
    assert "no permissions policy" in check(profile)[0].text
    attach_policy(role, Policy.objects.filter(account=None).first())
    assert passes(profile, "external-auditor-role")


def test_advisor_refresh_and_exclude_through_the_console(practice_account, trainee_client):
    profile = practice_account.training_profile
    assert len(find_exercise("advisor-refresh-exclude").check(profile)) == 2
    flagged = FlaggedResource.objects.filter(check_state__account=practice_account).first()
    check_id = flagged.check_state.check_id
    trainee_client.post(reverse("advisor:exclude-resource", args=[check_id, flagged.pk]), HTTP_HX_REQUEST="true")
    (unmet,) = find_exercise("advisor-refresh-exclude").check(profile)
    assert "refreshed" in unmet.text
    trainee_client.post(reverse("advisor:refresh-check", args=["zXCkfM1nI3"]), HTTP_HX_REQUEST="true")  # manual refresh
    assert passes(profile, "advisor-refresh-exclude")


def test_chat_exercise_needs_an_answered_chat_on_a_production_down_case(practice_account):
    profile, root = practice_account.training_profile, Principal(account=practice_account)
    check = find_exercise("production-down-chat").check
    practice_account.support_plan = "developer"
    practice_account.save(update_fields=["support_plan"])
    (unmet,) = check(profile)
    assert "offers no chat" in unmet.text and unmet.url == reverse("accounts:support-plan")

    practice_account.support_plan = "business"
    practice_account.save(update_fields=["support_plan"])
    cases.create_case(root, **ec2_case_arguments(severity_code="high"))
    (unmet,) = check(profile)
    assert "Production system down" in unmet.text and unmet.url == reverse("cases:create")

    case = cases.create_case(root, **ec2_case_arguments(severity_code="urgent"))
    on_case = reverse("cases:detail", args=[case.display_id])
    (unmet,) = check(profile)
    assert "not started a chat" in unmet.text and unmet.url == on_case
    chat = chats.start_chat(root, case)  # the engineer's answer is queued on commit, which this test never reaches
    chats.engineer_says(chat, "Sam", "Hello, what are you seeing?")
    (unmet,) = check(profile)
    assert "not written" in unmet.text and unmet.url == on_case
    chats.send_customer_message(root, chat, "Checkout answers 503 since 10:00.")
    (unmet,) = check(profile)
    assert "not answered" in unmet.text and unmet.url == on_case  # the greeting before it is no answer
    chats.engineer_says(chat, "Sam", "I see the health checks failing; let us look at the load balancer.")
    assert passes(profile, "production-down-chat")


def test_who_deleted_a_user_is_answered_from_the_event_history(practice_account, trainee_client):
    profile = practice_account.training_profile
    check = find_exercise("who-deleted-user").check
    history = page_text(trainee_client.get(reverse("events:history"), {"event_name": "DeleteUser"}))
    assert "ops-jordan" in history and "admin" not in history  # the filter shows the one event, with who did it

    (unmet,) = check(profile)
    assert "Name the IAM user" in unmet.text and unmet.url == reverse("events:history")
    (unmet,) = check(profile, "admin")  # created the user, did not delete it
    assert "admin did not delete" in unmet.text and "ops-jordan" not in unmet.text
    assert not check(profile, f"arn:aws:iam::{practice_account.account_id}:user/ops-jordan")

    url = reverse("training:exercise-check", args=["who-deleted-user"])
    assert "Not yet" in page_text(trainee_client.post(url, {"answer": "reader"}, HTTP_HX_REQUEST="true"))
    page = page_text(trainee_client.post(url, {"answer": " OPS-jordan "}, HTTP_HX_REQUEST="true"))
    assert "Done" in page

    Event.objects.filter(account=practice_account, event_name="DeleteUser").delete()  # a sandbox from before the scene
    (unmet,) = check(profile, "ops-jordan")
    assert "reset the sandbox" in unmet.text and unmet.url == reverse("training:home")
