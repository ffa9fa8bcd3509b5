from django.apps import AppConfig


class InboxConfig(AppConfig):
    """The sandbox mailbox: a copy of every message the portal sends, readable by the account it was sent to.

    Named `inbox`, not `mailbox`, so that it does not hide the standard library's `mailbox` module.
    """

    name = "inbox"
    verbose_name = "Sandbox mailbox"
