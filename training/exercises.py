"""The exercise catalogue: what a trainee is asked to do, how to get there, and the check that marks it done.

An exercise joins the catalogue only once the part of the console it exercises exists.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import checks
from .services import scenarios


@dataclass(frozen=True)
class Exercise:
    key: str
    title: str
    goal: str
    steps: tuple[str, ...]
    hints: tuple[str, ...]
    start_url_name: str
    # Returns the unmet conditions (checks.Unmet); an empty list means done.
    check: Callable[..., list[checks.Unmet]]
    # The buttons, links and fields the steps name, each with the page that shows it (URL name):
    # a test renders each page and finds the label, so the text and the console never drift apart.
    labels: tuple[tuple[str, str], ...] = ()
    # An exercise that asks the trainee to find something out: the question, asked next to "Check my work";
    # its check then also takes the answer.
    question: str = ""

    def unmet(self, profile, answer: str = "") -> list[checks.Unmet]:
        return self.check(profile, answer) if self.question else self.check(profile)


CATALOGUE: tuple[Exercise, ...] = (
    Exercise(
        key="production-outage-case",
        title="Create a technical case at the right severity for a production outage",
        goal=(
            "Your web shop is down: customers cannot place orders. Open a technical support case "
            "at the severity AWS defines for exactly this situation."
        ),
        steps=(
            "Open the Support Center from the top bar and choose Create case.",
            "Choose Technical support, then the service and category that fit the outage.",
            "Pick the severity whose description matches a production system that is down, describe the impact, and submit.",
        ),
        hints=(
            "Read the severity descriptions: one is for important functions that are impaired, "
            "another for when they are not available at all.",
            "Business-critical system down is for when the business itself is at risk, and only the Enterprise plan has it.",
            "Production system down needs a Business or Enterprise support plan.",
        ),
        start_url_name="cases:home",
        check=checks.production_outage_case_opened,
        labels=(("cases:home", "Create case"), ("cases:create", "Technical support")),
    ),
    Exercise(
        key="root-mfa",
        title="Enable MFA on the root user",
        goal="The root user can do anything in the account. Protect it with a virtual MFA device.",
        steps=(
            "Open Security credentials from the top bar while signed in as the root user.",
            "In Multi-factor authentication (MFA), choose Assign MFA device.",
            "Scan the QR code (or type the secret key) into an authenticator app and enter two consecutive codes.",
        ),
        hints=(
            "Only the root user can add MFA to the root user; IAM users cannot, not even administrators.",
            "The two codes must be consecutive: wait for the app to show a new code before typing the second.",
        ),
        start_url_name="iam:home",
        check=checks.root_mfa_on,
        labels=(("iam:security-credentials", "Multi-factor authentication (MFA)"), ("iam:security-credentials", "Assign MFA device")),
    ),
    Exercise(
        key="security-contact",
        title="Add a security alternate contact",
        goal="AWS sends security notifications to the security contact as well as the root user. Name one.",
        steps=(
            "Open Account from the top bar, then Alternate contacts.",
            "Next to Security, choose Add.",
            "Enter a full name, title, email address and phone number, then choose Update.",
        ),
        hints=(
            "The billing and operations contacts are already filled in; only the security contact is missing.",
            "Phone numbers may contain digits, spaces, +, - and parentheses.",
        ),
        start_url_name="accounts:home",
        check=checks.security_contact_added,
        labels=(("accounts:alternate-contacts", "Security"), ("accounts:alternate-contacts", "Add")),
    ),
    Exercise(
        key="support-without-resolve",
        title="Give a user support access without the right to resolve cases",
        goal=(
            "Create a new IAM user who can open, read and answer support cases but cannot resolve them, "
            "so that only a lead closes cases."
        ),
        steps=(
            "Open IAM from the top bar, then Users, and choose Create user.",
            "Give the user a policy that allows support:* ...",
            "... and explicitly denies support:ResolveCase.",
        ),
        hints=(
            "An explicit Deny always wins over an Allow, whichever policy it is in.",
            "The existing support-agent user already works this way; the exercise wants a user you create.",
        ),
        start_url_name="iam:home",
        check=checks.support_access_without_resolve,
        labels=(("iam:user-list", "Create user"),),
    ),
    Exercise(
        key="opt-in-region",
        title="Enable an opt-in Region",
        goal="Regions launched after March 2019 are off until you opt in. Turn one on so that the team can use it.",
        steps=(
            "Open Account from the top bar, then AWS Regions.",
            "Choose Enable next to a Region whose status is Disabled.",
            "Wait until its status changes from Enabling to Enabled, then check your work.",
        ),
        hints=(
            "Europe (Milan) is already enabled; pick a different one.",
            "Enabling takes about a minute, like in AWS; the page shows Enabling meanwhile.",
        ),
        start_url_name="accounts:home",
        check=checks.opt_in_region_enabled,
        labels=(("accounts:regions", "Disabled"), ("accounts:regions", "Enable")),
    ),
    Exercise(
        key="advisor-security",
        title="Fix the Trusted Advisor security findings",
        goal=(
            "Trusted Advisor flags security problems in this account. Fix every one of them in the account itself, "
            "until no Security check recommends action or investigation."
        ),
        steps=(
            "Open Trusted Advisor from the top bar and look at the Security checks.",
            "Open each check that is red or yellow and read which resources it flags and why.",
            "Fix each resource where it lives (IAM, Account), then refresh the checks and watch them turn green.",
        ),
        hints=(
            "Excluding a flagged resource only hides it from the summary; the exercise looks at the account itself.",
            "The root user needs MFA, and the password policy needs all four character requirements.",
            "An IAM user with a console password needs an MFA device, or no console password at all.",
            "An enabled opt-in Region where nothing runs counts too, including one you enabled in another exercise.",
        ),
        start_url_name="advisor:dashboard",
        check=checks.advisor_security_findings_fixed,
        labels=(("advisor:dashboard", "Security"),),
    ),
    Exercise(
        key="root-email-change",
        title="Change the root user email address",
        goal=(
            "The root user's email address belongs to someone who is leaving. Move it to a new address; "
            "AWS proves you control the new address with a code it sends there."
        ),
        steps=(
            "Open Account from the top bar. Under Root user email address, choose Change.",
            "Enter the new address and choose Send code.",
            "Open Mail from the top bar, read the code in the message sent to the new address, "
            "then enter it on the Account page and choose Confirm new address.",
        ),
        hints=(
            "Mail shows every message the sandbox sent to this account's addresses, the new one included.",
            "A code is good for 15 minutes; choosing Send code again sends a new one.",
        ),
        start_url_name="accounts:home",
        check=checks.root_email_changed,
        labels=(("accounts:home", "Root user email address"), ("accounts:home", "Change"), ("inbox:list", "Mail")),
    ),
    Exercise(
        key="root-recovery",
        title="Recover the root user with the security questions",
        goal=(
            "Pretend the root user's password is lost. Recover it the way AWS lets the owner do: "
            "a code sent to the root email address, then the security challenge questions."
        ),
        steps=(
            "Make sure the account has security challenge questions (Account, then Security challenge questions).",
            "Sign out. On the sign-in page choose Forgot password? and enter the root email address.",
            "Read the code in Mail (sign in as an IAM user with mail access, or ask your instructor), enter it, "
            "answer the questions and choose a new password.",
        ),
        hints=(
            "The answers are compared without regard to upper and lower case.",
            "Too many wrong codes or answers pause recovery for a while, as AWS does.",
        ),
        start_url_name="accounts:challenge-questions",
        check=checks.root_recovered_with_questions,
        labels=(("signin", "Forgot password?"),),
    ),
    Exercise(
        key="service-limit-increase",
        title="Request a service limit increase",
        goal="The team needs more of a resource than the account's quota allows. Ask AWS Support to raise the limit.",
        steps=(
            "Open the Support Center from the top bar and choose Create case.",
            "Choose Service limit increase, then the limit and the new value you need.",
            "Describe why you need it and submit.",
        ),
        hints=("Every support plan, Basic included, may ask for a service limit increase.",),
        start_url_name="cases:home",
        check=checks.service_limit_increase_requested,
        labels=(("cases:home", "Create case"), ("cases:create", "Service limit increase")),
    ),
    Exercise(
        key="cli-access-key",
        title="Use the AWS CLI with an access key",
        goal=(
            "Automation signs its calls with access keys, not passwords. Give an IAM user an access key, "
            "call the sandbox with the AWS CLI, and find the call in the event history."
        ),
        steps=(
            "Open IAM, then Users, and an IAM user; on its Security credentials, choose Create access key.",
            "Configure the CLI with the key (aws configure) and run a command against the sandbox, "
            "for example aws iam list-users --endpoint-url <console address>/api/iam/.",
            "Open CloudTrail from the top bar and find your call in the Event history.",
        ),
        hints=(
            "The secret access key is shown once: download the .csv file when you create the key.",
            "The event history can be filtered by access key ID.",
        ),
        start_url_name="iam:user-list",
        check=checks.cli_used_with_access_key,
        labels=(("events:history", "Event history"),),
    ),
    Exercise(
        key="external-auditor-role",
        title="Give a role to an external auditor with an external ID",
        goal=(
            "An audit firm works from its own AWS account (111122223333). Let it assume a role in yours, "
            "but only when it presents the external ID you agreed on, and only to read."
        ),
        steps=(
            "Open IAM, then Roles, and choose Create role.",
            "As Trusted entity type choose Custom trust policy, and in it allow arn:aws:iam::111122223333:root "
            "to call sts:AssumeRole, with a condition StringEquals sts:ExternalId set to the ID you agreed on.",
            "Attach a read-only permissions policy to the role (SecurityAudit or ReadOnlyAccess).",
        ),
        hints=(
            "The external ID protects against the confused deputy problem: another customer of the auditor "
            "cannot make the auditor act in your account.",
            "The condition goes in the trust policy, not in the permissions policy.",
        ),
        start_url_name="iam:role-list",
        check=checks.external_auditor_role,
        labels=(("iam:role-list", "Create role"), ("iam:role-create", "Trusted entity type"), ("iam:role-create", "Custom trust policy")),
    ),
    Exercise(
        key="production-down-chat",
        title="Use chat on a production-down case at the right severity",
        goal=(
            "Your order system is down and every minute counts. Open a case at the severity for a production "
            "system that is down and talk to the support engineer in chat instead of waiting for an email."
        ),
        steps=(
            "Open the Support Center from the top bar and choose Create case.",
            "Choose Technical support and the severity Production system down, describe the impact, and submit.",
            "On the case page, under Chat, choose Chat, wait for the engineer to join, then write what you see "
            "and read the answer. Choose End chat when you are done: the transcript joins the correspondence.",
        ),
        hints=(
            "Chat and Phone are the Business and Enterprise plans' contact methods; Basic and Developer have only the web.",
            "The simulated engineer answers chat within seconds at this account's time speed, if it is on in Training.",
            "Asking for chat on a low-severity case does not make it faster: pick the severity that matches the impact.",
        ),
        start_url_name="cases:home",
        check=checks.chat_on_production_down_case,
        labels=(("cases:home", "Create case"), ("cases:create", "Production system down"), ("cases:create", "Chat")),
    ),
    Exercise(
        key="who-deleted-user",
        title="Find who deleted a user in the event history",
        goal=(
            f"The IAM user {scenarios.DELETED_USER} that a contractor used has disappeared from IAM, and nobody admits "
            "to deleting it. CloudTrail's event history records every change to IAM: find out who deleted it."
        ),
        steps=(
            "Open CloudTrail from the top bar to see the Event history.",
            "Filter by Event name DeleteUser (or by the deleted user's name) and open the event.",
            "Read who made the call (User name, and the user identity in the event record) and answer below.",
        ),
        hints=(
            "The IAM user list shows only the users that exist now; a deleted user leaves its trace only in the events.",
            "The console deleted the user's password and policies first: those events were made by the same person.",
            "The event history keeps 90 days of management events, so older deletions cannot be traced this way.",
        ),
        start_url_name="events:history",
        check=checks.who_deleted_the_user,
        labels=(("events:history", "Event history"), ("events:history", "Event name"), ("events:history", "User name")),
        question=f"IAM user who deleted {scenarios.DELETED_USER}",
    ),
    Exercise(
        key="advisor-refresh-exclude",
        title="Refresh and exclude a Trusted Advisor finding",
        goal=(
            "Trusted Advisor results can be stale, and some flagged resources are accepted risks. Refresh a check, "
            "then exclude one flagged resource you have decided to accept."
        ),
        steps=(
            "Open Trusted Advisor from the top bar and choose Refresh on a check.",
            "Open a check that flags resources and choose Exclude on one of them.",
        ),
        hints=(
            "A check may be refreshed once every 5 minutes; Service Limits refreshes automatically.",
            "Excluded resources stay excluded across refreshes, and you can include them again.",
        ),
        start_url_name="advisor:dashboard",
        check=checks.advisor_refreshed_and_excluded,
        labels=(("advisor:dashboard", "Refresh"),),
    ),
)

_BY_KEY = {exercise.key: exercise for exercise in CATALOGUE}


def find_exercise(key: str) -> Exercise | None:
    return _BY_KEY.get(key)
