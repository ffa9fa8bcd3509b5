"""Reading cases, correspondence, attachments and the catalog. Querysets come back unsliced for paging."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Account
from iam.authorization import authorize
from iam.principals import Principal
from portal.compiled import Compiled

from .exceptions import AttachmentIdNotFound, CaseIdNotFound
from .models import OPEN_STATUSES, AccountCaseCount, Attachment, Case, CaseStatus, Category, Communication, SeverityLevel, Service

# "Case history information is available for 12 months after creation."
CASE_HISTORY = timedelta(days=365)
_PROBE_TIME = datetime(1970, 1, 2, 3, 4, 5, 6789, tzinfo=dt_timezone.utc)


def history_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - CASE_HISTORY


def visible_cases(account: Account, now: datetime | None = None) -> QuerySet[Case]:
    return (
        Case.objects.filter(account=account, time_created__gte=history_cutoff(now))
        .select_related("service", "category", "severity")
    )


def with_attachments(communications: QuerySet[Communication]) -> QuerySet[Communication]:
    return communications.select_related("attachment_set").prefetch_related("attachment_set__attachments")


def listed_cases(account_id: int, cutoff: datetime, *, include_resolved: bool) -> QuerySet[Case]:
    """What DescribeCases lists before its filters, newest first: the account's cases created since `cutoff`,
    resolved ones only when asked for."""
    cases = Case.objects.filter(account_id=account_id, time_created__gte=cutoff)
    if not include_resolved:
        cases = cases.exclude(status=CaseStatus.RESOLVED)
    return cases.order_by("-time_created", "-pk")


def describe_cases(
    principal: Principal,
    *,
    case_id_list: Sequence[str] = (),
    display_id: str | None = None,
    after_time: datetime | None = None,
    before_time: datetime | None = None,
    include_resolved_cases: bool = False,
    language: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Case]:
    """DescribeCases, newest first. Unknown IDs in `case_id_list` raise CaseIdNotFound.

    The API adds each case's 5 most recent messages for a whole page in one query
    (api.operations.support.cases._recent_communications).
    """
    authorize(principal, "support:DescribeCases")
    # Cases asked for by ID are listed whatever their status.
    include_resolved = include_resolved_cases or bool(case_id_list) or bool(display_id)
    cases = listed_cases(principal.account.pk, history_cutoff(now), include_resolved=include_resolved)
    cases = cases.select_related("service", "category", "severity")
    if case_id_list:
        cases = cases.filter(case_id__in=case_id_list)
        found = set(cases.values_list("case_id", flat=True))
        missing = [case_id for case_id in case_id_list if case_id not in found]
        if missing:
            raise CaseIdNotFound(missing[0])
    if display_id:
        cases = cases.filter(display_id=int(display_id)) if str(display_id).isdigit() else cases.none()
    if after_time:
        cases = cases.filter(time_created__gte=after_time)
    if before_time:
        cases = cases.filter(time_created__lte=before_time)
    if language:
        cases = cases.filter(language=language)
    return cases


class _Listing:
    """Rows (dicts of `columns`) of a compiled listing, sliced as a queryset is: each slice one query."""

    def __init__(self, compiled: Compiled, columns: tuple[str, ...], values: tuple):
        self._compiled, self._columns, self._values = compiled, columns, values

    def __getitem__(self, window: slice) -> list[dict]:
        rows = self._compiled.rows(*self._values, limit=window.stop - window.start, offset=window.start)
        return [dict(zip(self._columns, row)) for row in rows]


_LISTINGS: dict[tuple, Compiled] = {}


def describe_all_cases(principal: Principal, *, include_resolved_cases: bool, columns: tuple[str, ...],
                       now: datetime | None = None) -> _Listing:
    """describe_cases() with no filter, as rows of `columns` (the API's usual DescribeCases): its query is built
    once per process (portal.compiled), which took a fifth of the call's time when the ORM built it each time."""
    authorize(principal, "support:DescribeCases")
    key = (include_resolved_cases, columns)
    if (compiled := _LISTINGS.get(key)) is None:
        compiled = _LISTINGS.setdefault(key, Compiled(
            lambda account_id, cutoff: listed_cases(account_id, cutoff, include_resolved=include_resolved_cases)
            .values_list(*columns),
            -1, _PROBE_TIME,
        ))
    return _Listing(compiled, columns, (principal.account.pk, history_cutoff(now)))


def case_by_display_id(principal: Principal, display_id: int) -> Case:
    """The caller's visible case shown on a Support Center page (support:DescribeCases)."""
    authorize(principal, "support:DescribeCases")
    case = visible_cases(principal.account).select_related("account", "assignee").filter(display_id=display_id).first()
    if case is None:
        raise CaseIdNotFound(str(display_id))
    return case


def describe_communications(
    principal: Principal,
    case_id: str,
    *,
    after_time: datetime | None = None,
    before_time: datetime | None = None,
) -> QuerySet[Communication]:
    """DescribeCommunications: newest first, with each attachment set's attachments (without their bytes)."""
    authorize(principal, "support:DescribeCommunications")
    case = visible_cases(principal.account).filter(case_id=case_id).first()
    if case is None:
        raise CaseIdNotFound(case_id)
    communications = Communication.objects.filter(case=case)
    if after_time:
        communications = communications.filter(time_created__gte=after_time)
    if before_time:
        communications = communications.filter(time_created__lte=before_time)
    return with_attachments(communications).order_by("-time_created", "-pk")


def describe_attachment(principal: Principal, attachment_id: str) -> Attachment:
    """DescribeAttachment: the file of an attachment in one of the caller's sets, sent on a case still in its history."""
    authorize(principal, "support:DescribeAttachment")
    not_sent_or_visible = Q(attachment_set__communication__isnull=True) | Q(
        attachment_set__communication__case__time_created__gte=history_cutoff()
    )
    attachment = Attachment.objects.filter(
        not_sent_or_visible, attachment_id=attachment_id, attachment_set__account=principal.account
    ).first()
    if attachment is None:
        raise AttachmentIdNotFound(attachment_id)
    return attachment


def describe_services(
    principal: Principal, service_code_list: Sequence[str] = (), *, case_type: str | None = None
) -> QuerySet[Service]:
    """DescribeServices: services with their categories prefetched (service.categories.all())."""
    authorize(principal, "support:DescribeServices")
    services = Service.objects.prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("name")))
    if service_code_list:
        services = services.filter(code__in=service_code_list)
    if case_type:
        services = services.filter(case_type=case_type)
    return services.order_by("name")


def describe_severity_levels(principal: Principal) -> QuerySet[SeverityLevel]:
    authorize(principal, "support:DescribeSeverityLevels")
    return SeverityLevel.objects.order_by("rank")


def search_cases(
    account: Account,
    *,
    q: str = "",
    status: str = "",
    severity: str = "",
    case_type: str = "",
    created_after=None,
    created_before=None,
) -> QuerySet[Case]:
    """The Support Center list: open cases unless `status` says "all" or names one; q matches subject or display ID."""
    cases = visible_cases(account)
    if status != "all":
        cases = cases.filter(status__in=listed_statuses(status))
    if q.strip():
        term = q.strip()
        matches = Q(subject__icontains=term)
        if term.isdigit():
            matches |= Q(display_id=int(term))
        cases = cases.filter(matches)
    if severity:
        cases = cases.filter(severity__code=severity)
    if case_type:
        cases = cases.filter(case_type=case_type)
    if created_after:
        cases = cases.filter(time_created__date__gte=created_after)
    if created_before:
        cases = cases.filter(time_created__date__lte=created_before)
    return cases


def listed_statuses(status: str = "") -> list[str]:
    """The statuses the Support Center list shows for its status filter: open ones unless "all" or one named."""
    if status == "all":
        return list(CaseStatus.values)
    return [status] if status else sorted(OPEN_STATUSES)


def counted_cases(account: Account, *, status: str = "", now: datetime | None = None, **other_filters) -> int | None:
    """How many cases search_cases(account, status=status) lists, from the counts PostgreSQL keeps
    (AccountCaseCount) less the account's cases already out of the 12-month history (the daily purge leaves
    hardly any): a few index entries instead of every case. None when other filters are set or no counts
    are kept (SQLite): the list counts its rows then."""
    if any(other_filters.values()) or connection.vendor != "postgresql":
        return None
    statuses = listed_statuses(status)
    kept = AccountCaseCount.objects.filter(account=account, status__in=statuses).aggregate(total=Sum("cases"))
    expired = Case.objects.filter(account=account, time_created__lt=history_cutoff(now), status__in=statuses).count()
    return (kept["total"] or 0) - expired


def matching_search(cases: QuerySet[Case], search: str) -> QuerySet[Case]:
    """The staff queue's search. Every word must match: a case number, a case ID or an account ID exactly (each
    through its unique index), or part of the subject (through its trigram index on PostgreSQL). The admin's
    default, a substring of any of them, reads every case of a queue of a million."""
    for word in search.split():  # (the admin's search form has refused a NUL already)
        matches = Q(subject__icontains=word)
        if word.isascii() and word.isdigit() and len(word) <= 18:  # a bigint
            accounts = list(Account.objects.filter(account_id=word).values_list("pk", flat=True))
            matches |= Q(display_id=int(word)) | Q(account_id__in=accounts)
        elif word.startswith("case-"):
            matches |= Q(case_id=word)
        cases = cases.filter(matches)
    return cases
