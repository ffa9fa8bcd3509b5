"""The Mail pages: an account's mailbox in the console (IAM action sandbox:ReadMail, root always)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from iam.authorization import is_allowed
from portal.console import console_view
from portal.tables import sorted_page

from . import selectors, services

# The sandbox's own action: AWS has no mailbox. Root is always allowed; IAM users need a policy
# allowing it (AdministratorAccess does, through "*").
READ_MAIL = "sandbox:ReadMail"

MAIL_COLUMNS = {
    "received": ("Received", "received_at"),
    "subject": ("Subject", "subject"),
    "from": ("From", "sender"),
}
# An HTML part is someone else's markup: shown in a sandboxed frame, scripts and forms off,
# links opening outside the frame.
HTML_PART_POLICY = "default-src 'none'; img-src data: https:; style-src 'unsafe-inline'; sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"


@console_view(READ_MAIL)
def mail_list(request):
    table = sorted_page(request, selectors.mailbox(request.account), MAIL_COLUMNS, default_sort="-received")
    return render(request, "inbox/mail_list.html", {"table": table})


@console_view(READ_MAIL)
def mail_detail(request, pk):
    message = services.mark_read(get_object_or_404(selectors.mailbox(request.account), pk=pk))
    return render(request, "inbox/mail_detail.html", {"message": message})


@xframe_options_sameorigin
@console_view(READ_MAIL)
def mail_html_part(request, pk):
    message = get_object_or_404(selectors.mailbox(request.account), pk=pk)
    response = HttpResponse(message.html_body, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_POLICY
    return response


def unread_badge(request):
    """The Mail entry's unread count, polled by the menu; empty for whoever may not read the mail."""
    principal = getattr(request, "principal", None)
    if principal is None or not is_allowed(principal, READ_MAIL):
        return HttpResponse("")
    return render(request, "inbox/_unread.html", {"unread": selectors.unread_count(request.account)})
