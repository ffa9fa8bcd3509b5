"""The staff side (/staff/): the case queue, a conversation page per case, and the editable catalog.

Staff see cases, their correspondence and the account's name and ID; nothing of the
customer's IAM (no IAM model is registered on this site).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.submissions import one_time_submission

from . import calls, engineering
from . import chat as chats
from .exceptions import CaseValidationError, SupportError
from .forms import MultipleFileField, counted, uploaded
from .models import Attachment, Case, CaseStatus, Category, Chat, Communication, SeverityLevel, Service
from .selectors import matching_search, with_attachments
from .validation import MAX_BODY
from .chat_views import STOP_POLLING
from .views import attachment_download


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0
    fields = ("code", "name", "extra_field", "help_text", "help_links")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "case_type", "category_count")
    list_filter = ("case_type",)
    search_fields = ("name", "code", "categories__name")
    inlines = [CategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description="Categories")
    def category_count(self, service: Service) -> int:
        return len(service.categories.all())


@admin.register(SeverityLevel)
class SeverityLevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name", "first_response_minutes")
    ordering = ("rank",)


class QueueFilter(admin.SimpleListFilter):
    """The unassigned queue by default; engineers can switch to their own or all open cases."""

    title = "queue"
    parameter_name = "queue"
    DEFAULT = "unassigned"

    def lookups(self, request, model_admin):
        return [("unassigned", "Unassigned"), ("mine", "Assigned to me"), ("open", "All open"), ("all", "All cases")]

    def value(self):
        return super().value() or self.DEFAULT

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        match self.value():
            case "mine":
                return queryset.filter(assignee=request.user).exclude(status=CaseStatus.RESOLVED)
            case "open":
                return queryset.exclude(status=CaseStatus.RESOLVED)
            case "all":
                return queryset
        return queryset.filter(status=CaseStatus.UNASSIGNED)


class QueuePaginator(Paginator):
    """Counts a queue up to COUNT_CAP cases ("more than 1,000 cases"): counting a queue of a hundred
    thousand would cost a scan of its hundred thousand index entries on every page, and nobody pages that far."""

    COUNT_CAP = 1_000

    @cached_property
    def counted(self) -> int:
        return self.object_list[: self.COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.counted > self.COUNT_CAP


class QueueChangeList(ChangeList):
    """The queue's page of cases, read with only the columns a row shows (CaseAdmin.queue_row, rendered by
    templates/admin/cases/case/change_list.html), and one change page address for all its rows instead of a
    URL reversed and its filters encoded twice a row."""

    COLUMNS = (
        "display_id", "subject", "status", "first_response_due", "first_responded_at", "severity__name",
        "account__account_id", "account__support_plan", "assignee__username",
    )
    # Stands for a case's primary key in the change page address until a row puts its own in.
    PK_PLACEHOLDER = "__case_pk__"

    def get_results(self, request):
        self.queryset = self.queryset.only(*self.COLUMNS)
        super().get_results(request)

    @cached_property
    def _change_link(self) -> str:
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[self.PK_PLACEHOLDER], current_app=self.model_admin.admin_site.name,
        )
        return add_preserved_filters({"preserved_filters": self.preserved_filters, "opts": self.opts}, url)

    def change_link(self, case: Case) -> str:
        """The case's page, with the queue's filters kept for the way back (as the admin links a row)."""
        return self._change_link.replace(self.PK_PLACEHOLDER, str(case.pk), 1)

    def rows(self) -> list:
        """The page's rows for admin/change_list_results.html, each a list of cells: the queue's own when the
        page shows its usual columns, the admin's otherwise (without the assign action, e.g. for a staff user
        who may only view cases or in a popup, there is no checkbox column)."""
        if list(self.list_display) != ["action_checkbox", *self.model_admin.list_display]:
            return list(results(self))
        return [[self.model_admin.queue_row(case, self.change_link(case))] for case in self.result_list]


class StaffReplyForm(forms.Form):
    body = forms.CharField(label="Reply as Amazon Web Services", widget=forms.Textarea(attrs=counted(MAX_BODY, rows=6)))
    next_status = forms.ChoiceField(
        label="Then set the case to",
        choices=[(status.value, status.label) for status in engineering.REPLY_STATUSES],
        initial=CaseStatus.PENDING_CUSTOMER_ACTION,
    )
    attachments = MultipleFileField(label="Attachments", required=False)


class LogCallForm(forms.Form):
    """A call a staff engineer made to the customer, logged by hand (engineering.log_call)."""

    engineer_name = forms.CharField(label="Who called", max_length=150)
    called_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=f"In {timezone.get_default_timezone_name()} time.",
    )
    phone_number = forms.CharField(label="Number called", max_length=25,
                                   widget=forms.TextInput(attrs={"type": "tel"}), help_text="With its country code, e.g. +1 206 555 0100.")
    summary = forms.CharField(label="Call summary", widget=forms.Textarea(attrs=counted(engineering.MAX_CALL_SUMMARY, rows=5)))
    next_status = StaffReplyForm.base_fields["next_status"]

    @classmethod
    def for_case(cls, case: Case, engineer) -> "LogCallForm":
        scheduled = calls.scheduled_call(case)
        return cls(initial={
            "engineer_name": chats.staff_chat_name(engineer),
            "called_at": timezone.localtime().replace(second=0, microsecond=0),
            "phone_number": scheduled.phone_number if scheduled else case.callback_number,
        })


def _take_over_chat(chat: Chat, engineer, data) -> str:
    chats.take_over(chat, engineer)
    return "You have the chat: the customer sees your name."


def _answer_chat(chat: Chat, engineer, data) -> str:
    chats.staff_answers(chat, engineer, data.get("body", ""))
    return "Your chat message was sent."


def _end_chat(chat: Chat, engineer, data) -> str:
    chats.end_chat(chat, ended_by=chats.staff_chat_name(engineer))
    return "The chat has ended; its transcript is in the correspondence."


# Staff actions on a case's chat: what each does, and what the engineer is told.
CHAT_ACTIONS = {"take_over_chat": _take_over_chat, "chat_reply": _answer_chat, "end_chat": _end_chat}


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("display_id", "subject", "due", "severity", "status_label", "account_label", "assignee")
    list_display_links = ("display_id", "subject")
    list_filter = (QueueFilter, "severity", "case_type")
    search_fields = ("subject",)  # and the case number, case ID or account ID: get_search_results
    search_help_text = "A case number, case ID or account ID, or words of the subject."
    ordering = ("first_response_due", "pk")
    list_select_related = ("account", "severity", "assignee")
    # The queue counts the cases its filter shows (up to a cap); a second count of every case ever opened is
    # not worth it.
    show_full_result_count = False
    paginator = QueuePaginator
    list_per_page = 25
    actions = ["assign_to_me"]
    change_form_template = "cases/staff/case.html"

    class Media:
        css = {"all": ["cases/staff.css"]}

    def changelist_view(self, request, extra_context=None):
        # Without the app sidebar the queue's columns fit a laptop screen.
        context = {"title": "Case queue", "is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_search_results(self, request, queryset, search_term):
        return matching_search(queryset, search_term), False

    def get_urls(self):
        download = path(
            "<int:case_pk>/attachments/<str:attachment_id>/",
            self.admin_site.admin_view(self.attachment_view),
            name="cases_case_attachment",
        )
        chat_log = path("<int:case_pk>/chat/", self.admin_site.admin_view(self.chat_log_view), name="cases_case_chat")
        return [download, chat_log, *super().get_urls()]

    def chat_log_view(self, request, case_pk: int):
        """The case's latest chat as the staff page polls it (htmx); polling stops once the chat has ended."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        chat = Chat.objects.filter(case_id=case_pk).prefetch_related("messages").first()
        if chat is None:
            raise Http404("This case has no chat.")
        return TemplateResponse(request, "cases/staff/chat_log.html", {"chat": chat},
                                status=200 if chat.is_open else STOP_POLLING)

    def attachment_view(self, request, case_pk: int, attachment_id: str):
        """A file sent on the case, by either side."""
        if not request.user.has_perm("cases.view_attachment"):
            raise PermissionDenied
        attachment = get_object_or_404(
            Attachment.objects.filter(attachment_set__communication__case_id=case_pk), attachment_id=attachment_id
        )
        return attachment_download(attachment)

    def has_add_permission(self, request) -> bool:
        return False  # customers open cases; staff answer them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def action_checkbox(self, case: Case):
        # Django renders a form widget through its template engine for every row, the page's costliest part.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="Select case {}">',
            ACTION_CHECKBOX_NAME, case.pk, case.display_id,
        )

    def queue_row(self, case: Case, link: str) -> SafeString:
        """The row's cells as the admin renders list_display (tests/cases/test_staff.py holds them equal), in
        one pass: the admin's generic rendering, several calls and a template node per cell, cost a quarter
        of the page's time."""
        return format_html(
            '<td class="action-checkbox">{}</td>'
            '<th class="field-display_id"><a href="{}">{}</a></th>'
            '<td class="field-subject"><a href="{}">{}</a></td>'
            '<td class="field-due">{}</td>'
            '<td class="field-severity nowrap">{}</td>'
            '<td class="field-status_label">{}</td>'
            '<td class="field-account_label">{}</td>'
            '<td class="field-assignee nowrap">{}</td>',
            self.action_checkbox(case), link, case.display_id, link, case.subject, self.due(case), case.severity,
            self.status_label(case), self.account_label(case), case.assignee or self.get_empty_value_display(),
        )

    def get_queryset(self, request):
        return engineering.annotate_overdue(super().get_queryset(request), timezone.now())

    @admin.display(description="Account")
    def account_label(self, case: Case) -> str:
        return f"{case.account.account_id} · {case.account.get_support_plan_display()}"

    @admin.display(description="Status", ordering="status")
    def status_label(self, case: Case) -> str:
        return case.get_status_display()

    @admin.display(description="First response due", ordering="first_response_due")
    def due(self, case: Case):
        when = timezone.localtime(case.first_response_due).strftime("%Y-%m-%d %H:%M")
        if case.is_overdue:
            return format_html('<span class="case-overdue" title="First response overdue">⚠ {} overdue</span>', when)
        if case.first_responded_at:
            return format_html('<span class="case-answered">{} (answered)</span>', when)
        return when

    @admin.action(description="Assign selected cases to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        assigned, refused = 0, []
        for case in queryset:
            try:
                engineering.assign_to(case, request.user)
                assigned += 1
            except SupportError:  # e.g. resolved: only the customer can reopen it
                refused.append(str(case.display_id))
        self.message_user(request, f"Assigned {assigned} case(s) to you.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"Resolved cases cannot be assigned: {', '.join(refused)}.", messages.WARNING)

    @method_decorator(one_time_submission)  # a reply sent twice is one communication
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The conversation page: thread newest first, reply, assign, status and resolve buttons."""
        can_change = self.has_change_permission(request)
        if not (can_change or self.has_view_permission(request)) or (request.method == "POST" and not can_change):
            raise PermissionDenied
        cases = self.get_queryset(request).select_related("account", "service", "category", "severity", "assignee")
        case = get_object_or_404(cases, pk=object_id)
        shown_forms = {"reply_form": StaffReplyForm(), "call_form": LogCallForm.for_case(case, request.user)}
        if request.method == "POST":
            refused = self._handle_post(request, case)
            if refused is None:
                return redirect(reverse("admin:cases_case_change", args=[case.pk]))
            shown_forms |= refused
        communications = with_attachments(Communication.objects.filter(case=case)).order_by("-time_created", "-pk")
        chat = case.chats.prefetch_related("messages").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Case {case.display_id}",
            "case": case,
            "communications": communications,
            "transitions": case.transitions.select_related("staff_user"),
            **shown_forms,
            "status_choices": [(s.value, s.label) for s in engineering.REPLY_STATUSES if s != case.status],
            "is_nav_sidebar_enabled": False,
            "can_change": can_change,
            "can_open_attachments": request.user.has_perm("cases.view_attachment"),
            "chat": chat,
            "chat_is_mine": chat is not None and chat.engineer_name == chats.staff_chat_name(request.user)
            and case.assignee_id == request.user.pk,
            "calls": case.calls.select_related("staff_user"),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _handle_post(self, request, case: Case) -> dict | None:
        """Do the chosen action; None on success, or the forms to show again with their errors."""
        action = request.POST.get("action")
        form = None
        try:
            if action == "assign":
                engineering.assign_to(case, request.user)
                self.message_user(request, "The case is assigned to you.", messages.SUCCESS)
            elif action in {"status", "resolve"}:
                status = CaseStatus.RESOLVED if action == "resolve" else request.POST.get("status", "")
                engineering.set_status(case, request.user, status)
                self.message_user(request, f"The case is now {case.get_status_display().lower()}.", messages.SUCCESS)
            elif action == "reply":
                form = StaffReplyForm(request.POST, request.FILES)
                if not form.is_valid():
                    return {"reply_form": form}
                engineering.reply(
                    case,
                    request.user,
                    form.cleaned_data["body"],
                    next_status=form.cleaned_data["next_status"],
                    attachments=uploaded(form.cleaned_data["attachments"]),
                )
                self.message_user(request, "Your reply was sent to the customer.", messages.SUCCESS)
            elif action == "log_call":
                form = LogCallForm(request.POST)
                if not form.is_valid():
                    return {"call_form": form}
                engineering.log_call(case, request.user, call=calls.scheduled_call(case), **form.cleaned_data)
                self.message_user(request, "The call is logged and its summary added to the correspondence.",
                                  messages.SUCCESS)
            elif action in CHAT_ACTIONS:
                chat = get_object_or_404(Chat.objects.filter(case=case), pk=request.POST.get("chat") or 0)
                self.message_user(request, CHAT_ACTIONS[action](chat, request.user, request.POST), messages.SUCCESS)
            else:
                return {}
        except (SupportError, ValueError) as error:
            if isinstance(error, CaseValidationError) and form is not None and error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                self.message_user(request, getattr(error, "message", str(error)), messages.ERROR)
            if action == "reply":
                return {"reply_form": form}
            return {"call_form": form} if action == "log_call" else None
        return None
