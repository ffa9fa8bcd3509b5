"""Automatic exercise checks: each inspects the trainee's real account state and lists what is still missing.

Every check receives the account's TrainingProfile, reads through the owning app's selectors as
the account's root user would, and returns the unmet conditions (an empty list: done), each in
plain words with the page where it is fixed. What existed when the sandbox was seeded
(profile.sandbox_started_at) does not count as the trainee's work.
"""

import json
from dataclasses import dataclass, field

from django.db.models import F, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from accounts.exceptions import ResourceNotFoundException
from accounts.models import AlternateContactType, PendingRootEmailChange, SecurityChallengeAnswer
from accounts.regions import ENABLED, ENABLING
from accounts.selectors import get_alternate_contact, list_regions
from advisor.models import Category as AdvisorCategory
from advisor.selectors import available_checks
from cases.models import AuthorKind, CaseType, Chat, ContactMethod
from cases.plans import rules_for
from cases.selectors import describe_cases
from events.models import EventType
from events.selectors import lookup_events
from iam.authorization import is_allowed
from iam.models import AccessKey, IAMUser, Role
from iam.principals import Principal
from iam.selectors import root_mfa_enabled, user_principals

from .services import scenarios

# "Production system down: your business is significantly impacted" (support-getting-started, Choosing a Severity).
PRODUCTION_OUTAGE_SEVERITY = "urgent"
# Production is down at either of these; Business-critical system down is Enterprise's name for the worst case.
PRODUCTION_DOWN_SEVERITIES = (PRODUCTION_OUTAGE_SEVERITY, "critical")
# What "support access" means in the exercise: open, read and answer cases.
SUPPORT_ACCESS_ACTIONS = ("support:DescribeCases", "support:CreateCase", "support:AddCommunicationToCase")
# Only the newest users are evaluated, so a check stays cheap however many users exist.
USERS_EVALUATED = 20


@dataclass(frozen=True)
class Unmet:
    """One condition of an exercise the account does not meet yet, and where to fix it."""

    text: str
    url_name: str
    url_args: tuple = field(default=())

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)


def _root(profile) -> Principal:
    return Principal(account=profile.account)


def _since_start(profile, event_name: str, **filters):
    """Successful events of this name since the sandbox was seeded."""
    events = lookup_events(profile.account, event_name=event_name, start=profile.sandbox_started_at, **filters)
    return events.filter(error_code="", error_message="")


def production_outage_case_opened(profile) -> list[Unmet]:
    new_cases = describe_cases(_root(profile), after_time=profile.sandbox_started_at, include_resolved_cases=True)
    technical = new_cases.filter(case_type=CaseType.TECHNICAL)
    if not technical.exists():
        return [Unmet("You have not created a technical support case since the sandbox started.", "cases:create")]
    if not technical.filter(severity__code=PRODUCTION_OUTAGE_SEVERITY).exists():
        return [Unmet(
            "Your technical case is not at the severity for a production system that is down "
            "(\"Production system down\").", "cases:create",
        )]
    return []


def root_mfa_on(profile) -> list[Unmet]:
    if root_mfa_enabled(profile.account):
        return []
    return [Unmet("The root user has no MFA device yet: choose Assign MFA device.", "iam:security-credentials")]


def security_contact_added(profile) -> list[Unmet]:
    try:
        get_alternate_contact(_root(profile), AlternateContactType.SECURITY)
    except ResourceNotFoundException:
        return [Unmet("The account has no Security alternate contact yet.", "accounts:alternate-contacts")]
    return []


def opt_in_region_enabled(profile) -> list[Unmet]:
    regions = list_regions(_root(profile))
    if any(
        region.opt_in and region.region_opt_status == ENABLED and region.changed_at
        and region.changed_at > profile.sandbox_started_at
        for region in regions
    ):
        return []
    if any(region.opt_in and region.region_opt_status == ENABLING for region in regions):
        return [Unmet("A Region is still Enabling: wait until it shows Enabled.", "accounts:regions")]
    return [Unmet("You have not enabled an opt-in Region since the sandbox started.", "accounts:regions")]


def support_access_without_resolve(profile) -> list[Unmet]:
    new_users = IAMUser.objects.filter(account=profile.account, created_at__gt=profile.sandbox_started_at)
    principals = user_principals(new_users.order_by("-created_at")[:USERS_EVALUATED])
    if not principals:
        return [Unmet("You have not created an IAM user since the sandbox started.", "iam:user-create")]
    supported = [p for p in principals if all(is_allowed(p, action) for action in SUPPORT_ACCESS_ACTIONS)]
    if not supported:
        return [Unmet(
            "None of your new users may open, read and answer cases (support:CreateCase, "
            "support:DescribeCases, support:AddCommunicationToCase).", "iam:user-list",
        )]
    if all(is_allowed(p, "support:ResolveCase") for p in supported):
        return [Unmet("Your new user with support access may still resolve cases: deny support:ResolveCase.", "iam:user-list")]
    return []


def advisor_security_findings_fixed(profile) -> list[Unmet]:
    """Every Security check the plan includes finds nothing when run now; excluding a resource does not fix it."""
    now = timezone.now()
    return [
        Unmet(f"Trusted Advisor's \"{check.name}\" check still flags {len(outcome.findings)} resource(s).",
              "advisor:dashboard")
        for check in available_checks(profile.account)
        if check.category == AdvisorCategory.SECURITY
        for outcome in [check.compute(profile.account, now)]
        if outcome.findings
    ]


def root_email_changed(profile) -> list[Unmet]:
    if _since_start(profile, "EmailUpdated").exists():
        return []
    pending = PendingRootEmailChange.objects.filter(account=profile.account).first()
    if pending is not None:
        return [Unmet(
            f"A code was sent to {pending.new_email}: read it in Mail and enter it under "
            "Root user email address to confirm.", "inbox:list",
        )]
    return [Unmet("The root user email address has not been changed since the sandbox started.", "accounts:home")]


def root_recovered_with_questions(profile) -> list[Unmet]:
    if _since_start(profile, "PasswordRecoveryCompleted").exists():
        return []
    unmet = []
    if not SecurityChallengeAnswer.objects.filter(account=profile.account).exists():
        unmet.append(Unmet("The account has no security challenge questions to recover with.",
                           "accounts:challenge-questions"))
    unmet.append(Unmet("You have not recovered the root user through Forgot password? since the sandbox started.",
                       "accounts:recover"))
    return unmet


def service_limit_increase_requested(profile) -> list[Unmet]:
    new_cases = describe_cases(_root(profile), after_time=profile.sandbox_started_at, include_resolved_cases=True)
    if new_cases.filter(case_type=CaseType.SERVICE_LIMIT_INCREASE).exists():
        return []
    return [Unmet("You have not created a Service limit increase case since the sandbox started.", "cases:create")]


def cli_used_with_access_key(profile) -> list[Unmet]:
    unmet = []
    new_keys = AccessKey.objects.filter(account=profile.account, user__isnull=False,
                                        created_at__gt=profile.sandbox_started_at)
    if not new_keys.exists():
        unmet.append(Unmet("No IAM user has an access key created since the sandbox started.", "iam:user-list"))
    api_calls = lookup_events(profile.account, start=profile.sandbox_started_at).filter(
        event_type=EventType.API_CALL, access_key_id__in=new_keys.values("access_key_id")
    )
    if not api_calls.exists():
        unmet.append(Unmet("The event history shows no API call signed with that access key yet.", "events:history"))
    return unmet


def _trusts_another_account_with_external_id(role, own_account_id: str) -> tuple[bool, bool]:
    try:
        statements = json.loads(role.trust_policy).get("Statement", [])
    except (ValueError, AttributeError):
        return False, False
    statements = statements if isinstance(statements, list) else [statements]
    other, external_id = False, False
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principals = (statement.get("Principal") or {})
        aws = principals.get("AWS", []) if isinstance(principals, dict) else []
        aws = aws if isinstance(aws, list) else [aws]
        outside = [p for p in aws if isinstance(p, str) and own_account_id not in p and p != "*"]
        if outside:
            other = True
            conditions = json.dumps(statement.get("Condition", {})).lower()
            external_id = external_id or "sts:externalid" in conditions
    return other, external_id


def external_auditor_role(profile) -> list[Unmet]:
    roles = Role.objects.filter(account=profile.account, created_at__gt=profile.sandbox_started_at, linked_service="")
    if not roles.exists():
        return [Unmet("You have not created a role since the sandbox started.", "iam:role-create")]
    findings = [(role, *_trusts_another_account_with_external_id(role, profile.account.account_id)) for role in roles]
    if not any(other for _, other, _ in findings):
        return [Unmet("None of your new roles trusts another AWS account (the auditor's account ID in the trust policy).",
                      "iam:role-list")]
    trusting = [role for role, other, external in findings if other and external]
    if not trusting:
        return [Unmet("Your role trusts the auditor's account without an sts:ExternalId condition.", "iam:role-list")]
    with_permissions = Role.objects.filter(pk__in=[role.pk for role in trusting], attached_policies__isnull=False)
    if not with_permissions.exists():
        return [Unmet(f"The role {trusting[0].name} has no permissions policy attached (auditors read: SecurityAudit).",
                      "iam:role-detail", (trusting[0].name,))]
    return []


def advisor_refreshed_and_excluded(profile) -> list[Unmet]:
    unmet = []
    if not _since_start(profile, "RefreshCheck").exists():
        unmet.append(Unmet("You have not refreshed a Trusted Advisor check since the sandbox started.", "advisor:dashboard"))
    if not _since_start(profile, "ExcludeCheckItems").exists():
        unmet.append(Unmet("You have not excluded a flagged resource from a Trusted Advisor check.", "advisor:dashboard"))
    return unmet


def chat_on_production_down_case(profile) -> list[Unmet]:
    """A chat on a case at a production-down severity where the engineer answered something the trainee wrote."""
    if ContactMethod.CHAT not in rules_for(profile.account).contact_methods:
        return [Unmet(f"The {profile.account.get_support_plan_display()} support plan offers no chat: "
                      "chat needs Business or Enterprise support.", "accounts:support-plan")]
    new_cases = describe_cases(_root(profile), after_time=profile.sandbox_started_at, include_resolved_cases=True)
    down = new_cases.filter(severity__code__in=PRODUCTION_DOWN_SEVERITIES).order_by("-time_created")
    newest = down.first()
    if newest is None:
        return [Unmet("You have not opened a case at \"Production system down\" since the sandbox started.",
                      "cases:create")]
    chats = Chat.objects.filter(case__in=down).annotate(
        first_question=Min("messages__sent_at", filter=Q(messages__author_kind=AuthorKind.CUSTOMER)),
        last_answer=Max("messages__sent_at", filter=Q(messages__author_kind=AuthorKind.AMAZON)),
    )
    on_case = ("cases:detail", (newest.display_id,))
    if not chats.exists():
        return [Unmet(f"You have not started a chat on case {newest.display_id}: choose Chat on the case page.", *on_case)]
    if not chats.filter(first_question__isnull=False).exists():
        return [Unmet("You have not written to the engineer in the chat yet.", *on_case)]
    if not chats.filter(last_answer__gt=F("first_question")).exists():
        return [Unmet("The engineer has not answered your chat message yet: give them a moment, with the simulated "
                      "engineer on in Training.", *on_case)]
    return []


def who_deleted_the_user(profile, answer: str = "") -> list[Unmet]:
    """The trainee names the IAM user who deleted the staged user, as the event history records it."""
    deletion = lookup_events(profile.account, event_name="DeleteUser").filter(
        request_parameters__userName=scenarios.DELETED_USER, error_code=""
    ).order_by("event_time").first()
    if deletion is None:
        return [Unmet(f"This sandbox has no record of {scenarios.DELETED_USER} being deleted: "
                      "reset the sandbox to start the exercise.", "training:home")]
    answer = answer.strip().lower()
    if not answer:
        return [Unmet(f"Name the IAM user who deleted {scenarios.DELETED_USER} in the answer field, "
                      "then check your work.", "events:history")]
    if answer not in {deletion.user_name.lower(), deletion.user_identity.get("arn", "").lower()}:
        return [Unmet(f"{answer} did not delete {scenarios.DELETED_USER}. Filter the Event history by Event name "
                      "DeleteUser and read who made the call.", "events:history")]
    return []
