"""The IAM credential report: one CSV row for the root user and each IAM user, with IAM's own columns and values.

Generating it keeps a snapshot (GenerateCredentialReport); GetCredentialReport and the console's download
return that snapshot for four hours, as IAM does. Built in a fixed number of queries however many users.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Account

from .exceptions import IAMError
from .models import AccessKey, IAMAccountSettings, IAMUser, MFADevice
from .selectors import account_password_policy

COLUMNS = (
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
    "password_next_rotation", "mfa_active",
    "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
)
# "IAM generates a new report if the existing one is more than four hours old" (IAM User Guide).
REPORT_LIFETIME = timedelta(hours=4)
NOT_APPLICABLE, NO_INFORMATION, NOT_SUPPORTED = "N/A", "no_information", "not_supported"


class ReportNotPresent(IAMError):
    code = "ReportNotPresent"
    status = 410


class ReportExpired(IAMError):
    code = "ReportExpired"
    status = 410


def _time(moment: datetime | None, absent: str = NOT_APPLICABLE) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else absent


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _key_columns(keys: list[AccessKey]) -> list[str]:
    columns = []
    for key in (keys + [None, None])[:2]:
        if key is None:
            columns += ["false", NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE]
            continue
        used = key.last_used_at is not None
        columns += [_flag(key.is_active), _time(key.created_at), _time(key.last_used_at),
                    key.last_used_region or NOT_APPLICABLE if used else NOT_APPLICABLE,
                    key.last_used_service or NOT_APPLICABLE if used else NOT_APPLICABLE]
    return columns + ["false", NOT_APPLICABLE, "false", NOT_APPLICABLE]  # no signing certificates


def _user_row(user: IAMUser, max_age_days: int | None) -> list[str]:
    has_password = user.has_console_password
    rotation = NOT_APPLICABLE
    if has_password and max_age_days and user.password_changed_at:
        rotation = _time(user.password_changed_at + timedelta(days=max_age_days))
    return [
        user.name, user.arn, _time(user.created_at), _flag(has_password),
        _time(user.password_last_used, NO_INFORMATION) if has_password else NOT_APPLICABLE,
        _time(user.password_changed_at) if has_password else NOT_APPLICABLE,
        rotation, _flag(bool(user.enabled_mfa)),
    ] + _key_columns(list(user.access_keys.all()))


def _root_row(account: Account) -> list[str]:
    keys = list(AccessKey.objects.filter(account=account, user=None).order_by("created_at"))
    mfa = MFADevice.objects.filter(account=account, root=True, enabled_at__isnull=False).exists()
    return ["<root_account>", account.root_arn, _time(account.created_at), NOT_SUPPORTED, NO_INFORMATION,
            NOT_SUPPORTED, NOT_SUPPORTED, _flag(mfa)] + _key_columns(keys)


def build_report(account: Account) -> str:
    """The CSV as of now."""
    policy = account_password_policy(account)
    max_age = policy.max_age_days if policy else None
    users = (
        IAMUser.objects.filter(account=account).select_related("account").order_by("name")
        .prefetch_related(
            Prefetch("access_keys", queryset=AccessKey.objects.order_by("created_at")),
            Prefetch("mfa_devices", queryset=MFADevice.objects.filter(enabled_at__isnull=False), to_attr="enabled_mfa"),
        )
    )
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(_root_row(account))
    for user in users:
        writer.writerow(_user_row(user, max_age))
    return output.getvalue()


@dataclass(frozen=True)
class Report:
    content: str
    generated_at: datetime


@transaction.atomic
def generate_credential_report(account: Account, *, now: datetime | None = None) -> tuple[str, str]:
    """GenerateCredentialReport: (State, Description). A report younger than four hours is kept (COMPLETE);
    otherwise a new one is made (STARTED; the sandbox finishes it at once)."""
    now = now or timezone.now()
    settings, _ = IAMAccountSettings.objects.select_for_update().get_or_create(account=account)
    generated = settings.credential_report_generated_at
    if generated is not None and now - generated < REPORT_LIFETIME:
        return "COMPLETE", ""
    settings.credential_report = build_report(account)
    settings.credential_report_generated_at = now
    settings.save(update_fields=["credential_report", "credential_report_generated_at"])
    return "STARTED", "No report exists. Starting a new report generation task"


def credential_report(account: Account, *, now: datetime | None = None) -> Report:
    """GetCredentialReport: the last generated report, if younger than four hours."""
    settings = IAMAccountSettings.objects.filter(account=account).first()
    if settings is None or settings.credential_report_generated_at is None:
        raise ReportNotPresent("Credential report is not present. Use GenerateCredentialReport to generate a report.")
    if (now or timezone.now()) - settings.credential_report_generated_at >= REPORT_LIFETIME:
        raise ReportExpired("Credential report has expired. Use GenerateCredentialReport to generate a new report.")
    return Report(settings.credential_report, settings.credential_report_generated_at)
