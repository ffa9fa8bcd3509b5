"""The email layer's hook: EMAIL_BACKEND points here, and the configured real backend still sends.

Every message is first stored in the sandbox mailbox of each account it concerns
(inbox.services.deliver), then handed to SANDBOX_MAIL_FORWARD_BACKEND (SMTP, console, ...).
"""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from .services import deliver

DEFAULT_FORWARD = "django.core.mail.backends.console.EmailBackend"


class MailboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        forward = getattr(settings, "SANDBOX_MAIL_FORWARD_BACKEND", DEFAULT_FORWARD)
        if forward == f"{__name__}.{type(self).__name__}":
            forward = DEFAULT_FORWARD  # never forward to ourselves
        self.forward = get_connection(forward, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.forward.open()

    def close(self):
        return self.forward.close()

    def send_messages(self, email_messages):
        messages = list(email_messages or [])
        if not messages:
            return 0
        deliver(messages)
        return self.forward.send_messages(messages)
