"""What customers do with support cases: the Support Center pages and the Support API both call these.

Every function takes the acting `principal` and plain values, makes the IAM check with the
AWS action name, and raises a cases.exceptions.SupportError subclass (AWS error code +
message) or iam.exceptions.AccessDenied.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone

from accounts.models import Account
from iam.authorization import authorize
from iam.principals import Principal
from portal.compiled import Compiled
from portal.hygiene import disallowed_character
from portal.inserts import insert, insert_unless_taken, write_waiting
from portal.transactions import atomic

from . import calls, catalog_memo, lifecycle, plans
from .attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_SET, content_type_of
from .exceptions import (
    AttachmentLimitExceeded,
    AttachmentSetExpired,
    AttachmentSetIdNotFound,
    AttachmentSetSizeLimitExceeded,
    CaseCreationLimitExceeded,
    CaseIdNotFound,
    CaseValidationError,
    IllegalTransition,
    UploadIdNotFound,
)
from .models import (
    ISSUE_TYPES,
    Attachment,
    AttachmentSet,
    AttachmentUpload,
    AuthorKind,
    Case,
    CaseStatus,
    Category,
    Communication,
    ContactMethod,
    Language,
    SeverityLevel,
    UploadStatus,
)
from .notifications import mail_after_commit
from .selectors import history_cutoff
from .validation import MAX_BODY, MAX_SUBJECT, check_cc_addresses, check_phone_number, check_text

ATTACHMENT_SET_LIFETIME = timedelta(hours=1)
# Throttles, as the API's CaseCreationLimitExceeded / AttachmentLimitExceeded describe them.
CASE_CREATION_LIMIT = (30, timedelta(hours=1))
ATTACHMENT_SET_LIMIT = (100, timedelta(hours=1))
# What CreateCase files a case under when the caller names no service (as AWS does).
DEFAULT_SERVICE_CODE, DEFAULT_CATEGORY_CODE = "general-info", "using-aws"

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _new_case_id(account: Account, now: datetime) -> str:
    drawn = int.from_bytes(secrets.token_bytes(16))  # one draw for the tag's letters and the 64-bit suffix
    tag = ""
    for _ in range(4):
        drawn, letter = divmod(drawn, len(_LETTERS))
        tag += _LETTERS[letter]
    return f"case-{account.account_id}-{tag}-{now.year}-{drawn % 2**64:016x}"


def _new_display_id() -> int:
    return secrets.randbelow(9_000_000_000) + 1_000_000_000


# ---- attachment sets -------------------------------------------------------------------------------


def store_attachments(
    account: Account, files: Sequence[tuple[str, bytes]], *, attachment_set_id: str | None = None, now=None
) -> AttachmentSet:
    """Create a set (or add to an unexpired one) after checking count, size and content type.

    The IAM-free core of AddAttachmentsToSet, also used by staff replies.
    """
    now = now or timezone.now()
    if not files:
        raise CaseValidationError("Choose at least one file to attach.", field="attachments")
    for file_name, data in files:
        if character := disallowed_character(file_name):  # portal.hygiene: uploads' names come from the client
            raise CaseValidationError(f"File names can't contain the control character {character}.", field="attachments")
        if len(data) >= MAX_ATTACHMENT_BYTES:
            raise AttachmentSetSizeLimitExceeded(f"{file_name} is too large: each attachment must be less than 5 MB.")
    typed = [(file_name, data, content_type_of(file_name, data)) for file_name, data in files]
    with transaction.atomic():
        if attachment_set_id:
            attachment_set = _open_attachment_set(account, attachment_set_id, now, lock=True)
        else:
            limit, window = ATTACHMENT_SET_LIMIT
            if settings.API_RATE_LIMITS and AttachmentSet.objects.filter(account=account, created_at__gt=now - window).count() >= limit:
                raise AttachmentLimitExceeded("Too many attachment sets were created recently. Try again later.")
            attachment_set = AttachmentSet.objects.create(
                account=account,
                attachment_set_id=f"as-{secrets.token_hex(16)}",
                created_at=now,
                expiry_time=now + ATTACHMENT_SET_LIFETIME,
            )
        if attachment_set.attachments.count() + len(typed) > MAX_ATTACHMENTS_PER_SET:
            raise AttachmentSetSizeLimitExceeded(
                f"An attachment set can hold at most {MAX_ATTACHMENTS_PER_SET} attachments."
            )
        Attachment.objects.bulk_create(
            _stored_attachment(account, attachment_set, file_name, data, content_type) for file_name, data, content_type in typed
        )
    return attachment_set


def _stored_attachment(
    account: Account, attachment_set: AttachmentSet, file_name: str, data: bytes, content_type: str
) -> Attachment:
    """An unsaved Attachment whose bytes are already in the attachments storage (named by account and ID)."""
    attachment = Attachment(
        attachment_set=attachment_set,
        attachment_id=f"attachment-{secrets.token_hex(20)}",
        file_name=file_name[:255],
        content_type=content_type,
        size=len(data),
    )
    attachment.file.save(f"{account.account_id}/{attachment.attachment_id}", ContentFile(data), save=False)
    return attachment


def add_attachments_to_set(
    principal: Principal,
    attachments: Sequence[tuple[str, bytes]],
    *,
    attachment_set_id: str | None = None,
    now: datetime | None = None,
) -> AttachmentSet:
    """AddAttachmentsToSet: attachments are (fileName, data) pairs; returns the set (attachment_set_id, expiry_time)."""
    authorize(principal, "support:AddAttachmentsToSet")
    return store_attachments(principal.account, attachments, attachment_set_id=attachment_set_id, now=now)


def unsent_attachment_set(principal: Principal, attachment_set_id: str, *, now: datetime | None = None) -> AttachmentSet:
    """The caller's set that can still go out with a case or reply (forms shown again keep their files in one)."""
    authorize(principal, "support:AddAttachmentsToSet")
    return _open_attachment_set(principal.account, attachment_set_id, now or timezone.now(), lock=False)


def _open_attachment_set(account: Account, attachment_set_id: str, now: datetime, *, lock: bool) -> AttachmentSet:
    queryset = AttachmentSet.objects.select_for_update() if lock else AttachmentSet.objects
    attachment_set = queryset.filter(account=account, attachment_set_id=attachment_set_id).first()
    if attachment_set is None or Communication.objects.filter(attachment_set=attachment_set).exists():
        # A set already sent with a communication can no longer be used.
        raise AttachmentSetIdNotFound(attachment_set_id)
    if attachment_set.expiry_time <= now:
        raise AttachmentSetExpired(attachment_set_id)
    return attachment_set


def attach_uploads(account: Account, attachment_set: AttachmentSet | None, upload_ids: Iterable[str],
                   now: datetime) -> AttachmentSet | None:
    """The set a new communication carries: `attachment_set` (or the first upload's own set) with every ready
    upload's file moved in. Runs inside the communication's transaction; the uploads are used up."""
    upload_ids = list(dict.fromkeys(upload_ids))
    if not upload_ids:
        return attachment_set
    uploads = {upload.upload_id: upload for upload in
               AttachmentUpload.objects.select_for_update().filter(account=account, upload_id__in=upload_ids)}
    for upload_id in upload_ids:
        upload = uploads.get(upload_id)
        if upload is None:
            raise UploadIdNotFound(upload_id)
        if upload.status != UploadStatus.READY:
            raise CaseValidationError(f"Upload {upload_id} is not ready: complete every part first "
                                      "(DescribeAttachmentUploadStatus shows attachment-ready).", field="uploadIds")
        if upload.expiry_time <= now:
            raise AttachmentSetExpired(upload_id)
    sets = [uploads[upload_id].attachment_set_id for upload_id in upload_ids]
    target = attachment_set or uploads[upload_ids[0]].attachment_set
    moved = Attachment.objects.filter(attachment_set_id__in=sets).exclude(attachment_set=target)
    if target.attachments.count() + moved.count() > MAX_ATTACHMENTS_PER_SET:
        raise AttachmentSetSizeLimitExceeded(f"An attachment set can hold at most {MAX_ATTACHMENTS_PER_SET} attachments.")
    moved.update(attachment_set=target)
    AttachmentUpload.objects.filter(pk__in=[upload.pk for upload in uploads.values()]).delete()
    AttachmentSet.objects.filter(pk__in=sets).exclude(pk=target.pk).delete()
    return target


# ---- cases -----------------------------------------------------------------------------------------


# Every new case looks up its category (with its service) and its severity level: in one query, built once
# (portal.compiled). The severity comes as the two values a new case needs of it.
_SEVERITY_FIELDS = ("id", "first_response_minutes")
_CATALOG = Compiled(
    lambda service_code, code, severity_code: Category.objects.select_related("service")
    .filter(service__code=service_code, code=code)
    .annotate(**{
        f"severity_{field}": Subquery(SeverityLevel.objects.filter(code=severity_code).values(field))
        for field in _SEVERITY_FIELDS
    })
    .order_by(),
    "\x00service", "\x00category", "\x00severity",
)


def _catalog_entry(service_code: str | None, category_code: str | None, severity_code: str) -> tuple[Category, SeverityLevel]:
    service_code = service_code or DEFAULT_SERVICE_CODE
    category_code = category_code or (DEFAULT_CATEGORY_CODE if service_code == DEFAULT_SERVICE_CODE else "")
    codes = (service_code, category_code, severity_code)
    if (entry := catalog_memo.kept(codes)) is not None:
        return entry
    category = _CATALOG.first(service_code, category_code, severity_code)
    if category is None:
        raise CaseValidationError(
            f"Category {category_code or '(none)'} does not exist for service {service_code}.", field="category"
        )
    if category.severity_id is None:
        raise CaseValidationError(f"Unknown severity code: {severity_code}.", field="severity")
    # Its other fields are deferred: read from the database only if something asks for them.
    severity = SeverityLevel.from_db(DEFAULT_DB_ALIAS, ["id", "code", "first_response_minutes"],
                                     [category.severity_id, severity_code, category.severity_first_response_minutes])
    catalog_memo.keep(codes, category, severity)
    return category, severity


def _check_creation_rate(account: Account, now: datetime) -> None:
    if not settings.API_RATE_LIMITS:
        return
    limit, window = CASE_CREATION_LIMIT
    Account.objects.select_for_update().filter(pk=account.pk).first()  # one creation at a time: an exact count
    if Case.objects.filter(account=account, time_created__gt=now - window).count() >= limit:
        raise CaseCreationLimitExceeded(
            f"This account opened {limit} cases in the last hour, the most allowed. Try again later."
        )


def _insert_case(**fields) -> Case:
    """The new case, under a case ID and display ID no other case has: drawn again on a collision."""
    for _ in range(5):
        identifiers = {"case_id": _new_case_id(fields["account"], fields["time_created"]), "display_id": _new_display_id()}
        case = insert_unless_taken(Case(**identifiers, **fields), defer=True)
        if case is not None:
            return case
    raise IntegrityError("Could not allocate a unique display ID.")


def add_correspondence(
    case: Case,
    *,
    author_kind: str,
    submitted_by: str,
    body: str,
    now: datetime,
    cc_email_addresses: Sequence[str] = (),
    attachment_set: AttachmentSet | None = None,
) -> Communication:
    """Add one message to the thread and mail it (no IAM check: callers have made theirs)."""
    communication = insert(Communication(
        case=case,
        body=body,
        author_kind=author_kind,
        submitted_by=submitted_by,
        time_created=now,
        cc_email_addresses=list(cc_email_addresses),
        attachment_set=attachment_set,
    ), defer=True)
    mail_after_commit(communication)
    return communication


def create_case(
    principal: Principal,
    *,
    subject: str,
    communication_body: str,
    service_code: str | None = None,
    category_code: str | None = None,
    severity_code: str = "low",
    issue_type: str | None = None,
    language: str = Language.ENGLISH,
    cc_email_addresses: Sequence[str] = (),
    attachment_set_id: str | None = None,
    upload_ids: Sequence[str] = (),
    contact_method: str = ContactMethod.WEB,
    callback_number: str = "",
    extra_details: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """CreateCase. The service decides the case type; `issue_type` ("technical"/"customer-service"), when given, must agree."""
    authorize(principal, "support:CreateCase")
    now = now or timezone.now()
    account = principal.account
    subject = check_text(subject, field="subject", label="Subject", limit=MAX_SUBJECT)
    communication_body = check_text(communication_body, field="communication_body", label="Description", limit=MAX_BODY)
    if language not in Language.values:
        raise CaseValidationError("Choose English (en) or Japanese (ja).", field="language")
    category, severity = _catalog_entry(service_code, category_code, severity_code)
    case_type = category.service.case_type
    if issue_type and issue_type != ISSUE_TYPES[case_type]:
        raise CaseValidationError(f"Service {category.service.code} does not take {issue_type} cases.", field="service")
    cc = check_cc_addresses(cc_email_addresses)
    plans.check_case_options(
        account,
        case_type=case_type,
        severity_code=severity.code,
        contact_method=contact_method,
        callback_number=callback_number,
        has_cc=bool(cc),
    )
    # A savepoint of its own (but in an API call's transaction): a refusal here (an expired attachment set, the
    # creation rate) leaves a caller's transaction usable, as every other service does.
    with atomic():
        _check_creation_rate(account, now)
        case = _insert_case(
            account=account,
            subject=subject,
            service=category.service,
            category=category,
            severity=severity,
            case_type=case_type,
            language=language,
            contact_method=contact_method,
            callback_number=check_phone_number(callback_number) if contact_method == ContactMethod.PHONE else "",
            cc_email_addresses=cc,
            extra_details={key: value for key, value in (extra_details or {}).items() if value not in ("", None)},
            submitted_by=lifecycle.submitter_name(principal),
            time_created=now,
            status_changed_at=now,
            first_response_due=plans.first_response_due(account, severity, now, language=language),
        )
        _customer_correspondence(principal, case, communication_body, now, attachment_set_id=attachment_set_id,
                                 upload_ids=upload_ids)
        if case.callback_number:
            write_waiting()  # the call's row refers to the case through the ORM, which wants it saved
            calls.schedule_call(case, case.callback_number, requested_by=case.submitted_by, now=now)
    return case


def _customer_correspondence(
    principal: Principal,
    case: Case,
    body: str,
    now: datetime,
    *,
    attachment_set_id: str | None,
    cc_email_addresses: Sequence[str] = (),
    upload_ids: Sequence[str] = (),
) -> Communication:
    attachment_set = _open_attachment_set(case.account, attachment_set_id, now, lock=True) if attachment_set_id else None
    attachment_set = attach_uploads(case.account, attachment_set, upload_ids, now)
    return add_correspondence(
        case,
        author_kind=AuthorKind.CUSTOMER,
        submitted_by=lifecycle.submitter_name(principal),
        body=body,
        now=now,
        cc_email_addresses=cc_email_addresses,
        attachment_set=attachment_set,
    )


def case_for_update(principal: Principal, case_id: str) -> Case:
    """The caller's own, still visible case by caseId; anything else is CaseIdNotFound."""
    case = (
        Case.objects.select_related("account")
        .filter(account=principal.account, case_id=case_id, time_created__gte=history_cutoff())
        .first()
    )
    if case is None:
        raise CaseIdNotFound(case_id)
    return case


def _reply_target(
    principal: Principal, case_id: str, body: str, now: datetime | None
) -> tuple[Case, str, datetime]:
    """The IAM check and input check every customer message makes; the case, the checked body and the time."""
    authorize(principal, "support:AddCommunicationToCase")
    case = case_for_update(principal, case_id)
    body = check_text(body, field="communication_body", label="Reply", limit=MAX_BODY)
    return case, body, now or timezone.now()


def add_communication_to_case(
    principal: Principal,
    case_id: str,
    communication_body: str,
    *,
    cc_email_addresses: Sequence[str] = (),
    attachment_set_id: str | None = None,
    upload_ids: Sequence[str] = (),
    now: datetime | None = None,
) -> Communication:
    """AddCommunicationToCase. A reply to a case pending customer action hands it back to Amazon."""
    case, communication_body, now = _reply_target(principal, case_id, communication_body, now)
    cc = check_cc_addresses(cc_email_addresses)
    plans.check_additional_contacts(case.account, has_cc=bool(cc))
    with transaction.atomic():
        if Case.objects.select_for_update().filter(pk=case.pk).values_list("status", flat=True).get() == CaseStatus.RESOLVED:
            raise IllegalTransition("This case is resolved. Reopen it to add a correspondence.")
        communication = _customer_correspondence(
            principal, case, communication_body, now, attachment_set_id=attachment_set_id, cc_email_addresses=cc,
            upload_ids=upload_ids,
        )
        case.refresh_from_db(fields=["status"])
        if case.status == CaseStatus.PENDING_CUSTOMER_ACTION:
            lifecycle.transition(
                case, CaseStatus.CUSTOMER_ACTION_COMPLETED, actor=lifecycle.Actor.customer(principal), now=now
            )
    return communication


def resolve_case(principal: Principal, case_id: str, *, now: datetime | None = None) -> tuple[str, str]:
    """ResolveCase ("Close case"): returns (initialCaseStatus, finalCaseStatus); resolving twice changes nothing."""
    authorize(principal, "support:ResolveCase")
    case = case_for_update(principal, case_id)
    initial = lifecycle.ensure_status(case, CaseStatus.RESOLVED, actor=lifecycle.Actor.customer(principal), now=now)
    return initial, CaseStatus.RESOLVED.value


def reopen_case(
    principal: Principal,
    case_id: str,
    communication_body: str,
    *,
    attachment_set_id: str | None = None,
    now: datetime | None = None,
) -> Communication:
    """Reopen a resolved case (within the 12-month history) with a correspondence saying why."""
    case, communication_body, now = _reply_target(principal, case_id, communication_body, now)
    with transaction.atomic():
        lifecycle.transition(case, CaseStatus.REOPENED, actor=lifecycle.Actor.customer(principal), now=now)
        return _customer_correspondence(principal, case, communication_body, now, attachment_set_id=attachment_set_id)
