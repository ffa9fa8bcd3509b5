"""Support Center pages. Thin: parse the form, call services/selectors, render."""

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from iam.authorization import is_allowed
from portal.console import console_view
from portal.submissions import done, one_time_submission
from portal.tables import DeferredJoinPaginator, sorted_page

from . import calls, chat, selectors, services
from .exceptions import CaseIdNotFound, CaseValidationError, IllegalTransition, SupportError
from .forms import CaseFilterForm, CreateCaseForm, ReplyForm, uploaded
from .models import Attachment, AttachmentSet, SeverityLevel


def support_console_view(action: str | None = None, **options):
    # "During the post-closure period, you can still sign in to your AWS account to view your past billing
    # information and access AWS Support" (Account Management guide): the Support Center stays open to the
    # root user of a closed account, which is how it asks to reopen.
    return console_view(action, allow_closed_account=True, **options)


CASE_COLUMNS = {
    "subject": ("Subject", "subject"),
    "case": ("Case ID", "display_id"),
    "created": ("Created", "time_created"),
    "type": ("Type", "case_type"),
    "severity": ("Severity", "severity__rank"),
    "status": ("Status", "status"),
}


@support_console_view("support:DescribeCases")
def case_list(request):
    filters = CaseFilterForm(request.GET or None, severities=SeverityLevel.objects.all())
    criteria = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.search_cases(request.account, **criteria)
    paginator = partial(DeferredJoinPaginator, count=selectors.counted_cases(request.account, **criteria))
    table = sorted_page(request, cases, CASE_COLUMNS, default_sort="-created", paginator=paginator)
    context = {
        "table": table,
        "filters": filters,
        "may_create": is_allowed(request.principal, "support:CreateCase"),
    }
    return render(request, "cases/case_list.html", context)


def _keep_attachments(request, form) -> AttachmentSet | None:
    """Store the files chosen this time, in the set kept from an earlier try if there is one.

    Done before the rest of the form is acted on, so that a form shown again with errors keeps
    its files (the set lasts an hour). The set, or None when no files were ever chosen.
    """
    kept_id = form.cleaned_data.get("attachment_set_id") or None
    files = form.cleaned_data.get("attachments") or []
    try:
        if files:
            return services.add_attachments_to_set(request.principal, uploaded(files), attachment_set_id=kept_id)
    except SupportError as error:
        _attach_error(form, error)
    try:
        return services.unsent_attachment_set(request.principal, kept_id) if kept_id else None
    except SupportError as error:
        _attach_error(form, error)
        return None


def _kept_files(attachment_set: AttachmentSet | None) -> list[Attachment]:
    return list(attachment_set.attachments.all()) if attachment_set else []


def _set_id(attachment_set: AttachmentSet | None) -> str | None:
    return attachment_set.attachment_set_id if attachment_set else None


def _attach_error(form, error: SupportError) -> None:
    if isinstance(error, CaseValidationError):
        form.add_service_error(error)
    else:  # attachment limits and expiry
        form.add_error("attachments", error.message)


@one_time_submission
@support_console_view("support:CreateCase")
def create_case(request):
    catalog = {
        "services": selectors.describe_services(request.principal),
        "severities": selectors.describe_severity_levels(request.principal),
    }
    kept = None
    if request.method == "POST":
        form = CreateCaseForm(request.account, request.POST, request.FILES, **catalog)
        form.is_valid()
        kept = _keep_attachments(request, form)
        if form.is_valid():
            try:
                case = services.create_case(request.principal, attachment_set_id=_set_id(kept), **form.service_arguments())
            except SupportError as error:
                _attach_error(form, error)
            else:
                messages.success(request, f"Case {case.display_id} was created. We'll send updates to the case's contacts.")
                return redirect("cases:detail", display_id=case.display_id)
    else:
        # htmx re-renders the classification when the case type, service or category changes.
        form = CreateCaseForm(request.account, initial=request.GET.dict(), **catalog)
    return render(request, "cases/create_case.html", {"form": form, "kept": kept, "kept_files": _kept_files(kept)})


def _case_or_404(request, display_id: int):
    try:
        return selectors.case_by_display_id(request.principal, display_id)
    except CaseIdNotFound:
        raise Http404("No such case in this account.") from None


def _detail_context(request, case, reply_form=None, kept=None) -> dict:
    principal = request.principal
    return {
        "kept": kept,
        "kept_files": _kept_files(kept),
        "case": case,
        "communications": selectors.describe_communications(principal, case.case_id),
        "reply_form": reply_form or ReplyForm(),
        "may_reply": is_allowed(principal, "support:AddCommunicationToCase"),
        "may_attach": is_allowed(principal, "support:AddAttachmentsToSet"),
        "may_resolve": is_allowed(principal, "support:ResolveCase"),
        "may_chat": chat.may_chat(case) and is_allowed(principal, "support:InitiateChatForCase"),
        "may_call": calls.may_call(case) and is_allowed(principal, "support:InitiateCallForCase"),
        "calls": list(case.calls.all()),
        "chat": case.chats.prefetch_related("messages").first(),
        "may_download": is_allowed(principal, "support:DescribeAttachment"),
        "history_ends": case.time_created + selectors.CASE_HISTORY,
        "now": timezone.now(),
    }


@support_console_view("support:DescribeCases")
def case_detail(request, display_id: int):
    case = _case_or_404(request, display_id)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@one_time_submission
@support_console_view(event="support:AddCommunicationToCase")
def reply(request, display_id: int):
    """Reply (or, from a resolved case's page, reopen with this reply).

    htmx swaps in the refreshed conversation and, out of band, the header with the new status.
    """
    case = _case_or_404(request, display_id)
    if request.method != "POST":
        return redirect("cases:detail", display_id=display_id)
    form = ReplyForm(request.POST, request.FILES)
    form.is_valid()
    kept = _keep_attachments(request, form)
    replied = False
    if form.is_valid():
        respond = services.reopen_case if form.cleaned_data["reopen"] else services.add_communication_to_case
        try:
            respond(request.principal, case.case_id, form.cleaned_data["description"], attachment_set_id=_set_id(kept))
        except IllegalTransition as error:
            form.add_error("description", error.message)
        except SupportError as error:
            _attach_error(form, error)
        else:
            reopened = form.cleaned_data["reopen"]
            messages.success(request, "The case was reopened with your reply." if reopened else "Your reply was sent.")
            if not request.htmx:
                return redirect("cases:detail", display_id=display_id)
            form = kept = None
            replied = True
    case = _case_or_404(request, display_id)  # the status now, whatever happened
    template = "cases/includes/conversation.html" if request.htmx else "cases/case_detail.html"
    response = render(request, template, _detail_context(request, case, form, kept))
    response = done(response) if replied else response
    # The reply (or reopen, with reopen=on among the parameters) went in: the event history records it.
    response.console_change = replied
    return response


@support_console_view(event="support:ResolveCase")
def resolve(request, display_id: int):
    case = _case_or_404(request, display_id)
    if request.method == "POST":
        services.resolve_case(request.principal, case.case_id)
        messages.success(request, f"Case {case.display_id} was resolved. Reply to it to reopen it.")
    target = reverse("cases:detail", args=[display_id])
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@require_POST
@support_console_view(event="support:InitiateCallForCase")
def request_call(request, display_id: int):
    """"Request a call": an engineer calls the number given (the simulated one at the account's scaled time)."""
    case = _case_or_404(request, display_id)
    try:
        calls.request_call(request.principal, case, request.POST.get("phone_number", ""))
    except SupportError as error:
        messages.error(request, error.message)
        response = redirect("cases:detail", display_id=display_id)
        response.console_error = (error.code, error.message)
        return response
    messages.success(request, "Your call is scheduled. An AWS Support engineer will call you on this number.")
    return redirect("cases:detail", display_id=display_id)


def attachment_download(attachment: Attachment) -> FileResponse:
    """The file itself, streamed from the attachments storage, always as a download (never rendered inline).

    Callers check permissions first; the storage (local or a bucket) is never exposed to the browser.
    """
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.file_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@support_console_view()
def download_attachment(request, attachment_id: str):
    try:
        attachment = selectors.describe_attachment(request.principal, attachment_id)
    except SupportError:
        raise Http404("No such attachment in this account.") from None
    return attachment_download(attachment)
