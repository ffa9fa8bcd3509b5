"""The sandbox mailbox: what the portal sends lands in the mailbox of the account it was sent to, and only there."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AlternateContact, AlternateContactType
from cases import services as case_services
from iam.principals import Principal
from inbox.addressing import about_account
from inbox.models import Message
from portal.sandbox.services import reset_account
from tests.cases.conftest import STAFF_PASSWORD  # noqa: F401  (staff fixtures share the password)
from tests.cases.conftest import support_engineer  # noqa: F401
from tests.cases.conftest import ec2_case_arguments
from tests.conftest import console_client_for
from tests.factories import AccountFactory, allow

pytestmark = pytest.mark.django_db

CODE = re.compile(r"verification code is (\d{6})")


def change_root_email(client, new_email, capture):
    with capture(execute=True):
        response = client.post(reverse("accounts:home"), {"panel": "email", "new_email": new_email})
    assert response.status_code in (200, 302)


def test_the_code_for_a_new_root_email_reaches_the_mailbox_and_confirms_the_change(
    account, root_client, django_capture_on_commit_callbacks
):
    change_root_email(root_client, "new-root@example.com", django_capture_on_commit_callbacks)
    message = Message.objects.get(account=account)
    assert message.to == ["new-root@example.com"]
    # The same message still went to the configured real backend.
    assert mail.outbox[-1].to == ["new-root@example.com"]

    listing = root_client.get(reverse("inbox:list"))
    assert "Confirm your new AWS account email address" in listing.content.decode()
    page = root_client.get(reverse("inbox:detail", args=[message.pk])).content.decode()
    code = CODE.search(page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        root_client.post(reverse("accounts:home"), {"panel": "email_code", "otp": code})
    account.refresh_from_db()
    assert account.root_email == "new-root@example.com"


def test_case_mail_reaches_root_cc_and_contacts_of_its_account_and_nobody_else(account, django_capture_on_commit_callbacks):
    other, bystander = AccountFactory(), AccountFactory()
    AlternateContact.objects.create(
        account=other, contact_type=AlternateContactType.SECURITY, name="Sec", title="CISO",
        email_address="Security@Other.example", phone_number="+1 206 555 0100",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.create_case(
            Principal(account=account),
            **ec2_case_arguments(cc_email_addresses=["dev@outside.example", "security@other.example"]),
        )
    mine = Message.objects.get(account=account)
    assert set(mine.to) == {account.root_email, "dev@outside.example", "security@other.example"}
    # Sent to the other account's security contact, so it has its own copy; the bystander has none.
    assert Message.objects.filter(account=other).count() == 1
    assert not Message.objects.filter(account=bystander).exists()


def test_accounts_never_read_each_others_mail(account, django_capture_on_commit_callbacks):
    other = AccountFactory()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.create_case(Principal(account=account), **ec2_case_arguments(subject="Mine only"))
    message = Message.objects.get(account=account)
    intruder = console_client_for(Principal(account=other))
    assert "Mine only" not in intruder.get(reverse("inbox:list")).content.decode()
    assert intruder.get(reverse("inbox:detail", args=[message.pk])).status_code == 404
    assert intruder.get(reverse("inbox:html-part", args=[message.pk])).status_code == 404
    assert intruder.get(reverse("inbox:unread")).content.decode().strip() == ""
    message.refresh_from_db()
    assert message.read_at is None


def test_unread_count_drops_when_a_message_is_opened(account, root_client):
    first, second = (
        Message.objects.create(account=account, sender="a@x", to=[account.root_email], subject=subject)
        for subject in ("One", "Two")
    )
    assert 'aria-label="2 unread"' in root_client.get(reverse("inbox:unread")).content.decode()
    root_client.get(reverse("inbox:detail", args=[first.pk]))
    assert 'aria-label="1 unread"' in root_client.get(reverse("inbox:unread")).content.decode()
    # The menu entry polls for the count, so mail arriving while a page is open shows without a reload.
    home = root_client.get(reverse("inbox:list")).content.decode()
    assert 'data-testid="mail-entry"' in home and f'hx-get="{reverse("inbox:unread")}"' in home
    assert 'hx-trigger="every 5s"' in home


def test_html_and_text_parts_with_working_links(account, root_client):
    message = EmailMultiAlternatives(
        "Both parts", "Open https://console.example/support/ now.", "from@example.com", [account.root_email]
    )
    message.attach_alternative('<p><a href="https://console.example/support/">Open the case</a></p>', "text/html")
    message.send()
    stored = Message.objects.get(account=account)
    assert stored.text_body.startswith("Open") and "<a href" in stored.html_body
    page = root_client.get(reverse("inbox:detail", args=[stored.pk])).content.decode()
    assert '<a href="https://console.example/support/"' in page  # the text part's link is clickable
    assert f'src="{reverse("inbox:html-part", args=[stored.pk])}"' in page and "sandbox=" in page
    part = root_client.get(reverse("inbox:html-part", args=[stored.pk]))
    assert part.content.decode() == stored.html_body
    assert "sandbox" in part["Content-Security-Policy"] and "script-src" not in part["Content-Security-Policy"]
    assert part["X-Frame-Options"] == "SAMEORIGIN"


def test_iam_users_need_sandbox_read_mail(account, user_client):
    Message.objects.create(account=account, sender="a@x", to=[account.root_email], subject="Secret plans")
    assert user_client(account).get(reverse("inbox:list")).status_code == 403
    allowed = user_client(account, allow("sandbox:ReadMail"))
    assert "Secret plans" in allowed.get(reverse("inbox:list")).content.decode()


def test_reset_and_deletion_clear_the_mailbox(account):
    for target in (account, AccountFactory()):
        Message.objects.create(account=target, sender="a@x", to=[target.root_email], subject="Old")
    fresh = reset_account(account.account_id)
    assert not Message.objects.filter(account=fresh).exists()
    assert Message.objects.count() == 1  # the other account's mail stays
    Message.objects.create(account=fresh, sender="a@x", to=[fresh.root_email], subject="New")
    fresh.delete()
    assert Message.objects.count() == 1


def test_a_message_about_an_account_reaches_it_even_at_an_unknown_address(account):
    mail.EmailMessage("Hi", "Body", None, ["nobody@nowhere.example"], headers=about_account(account)).send()
    mail.EmailMessage("Lost", "Body", None, ["nobody@nowhere.example"]).send()
    assert list(Message.objects.values_list("account_id", "subject")) == [(account.pk, "Hi")]
    assert len(mail.outbox) == 2  # both still delivered for real


def test_mail_list_queries_stay_constant(account, root_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert root_client.get(reverse("inbox:list")).status_code == 200
        return len(captured)

    Message.objects.create(account=account, sender="a@x", to=[account.root_email], subject="One")
    one = queries()
    Message.objects.bulk_create(
        Message(account=account, sender="a@x", to=[account.root_email], subject=f"M{n}") for n in range(20)
    )
    assert queries() == one


def test_support_engineers_read_every_mailbox_on_the_staff_site(client, support_engineer, account):  # noqa: F811
    Message.objects.create(account=account, sender="a@x", to=[account.root_email], subject="For staff eyes")
    Message.objects.create(account=AccountFactory(), sender="a@x", to=["b@x"], subject="Another account")
    client.force_login(support_engineer)
    page = client.get(reverse("admin:inbox_message_changelist")).content.decode()
    assert "For staff eyes" in page and "Another account" in page
    assert client.get(reverse("admin:inbox_message_add")).status_code == 403
