"""The exercise catalogue: what a trainee is asked to do, how to get there, and the check that marks it done.

An exercise joins the catalogue only once the part of the console it exercises exists.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import checks


@dataclass(frozen=True)
class Exercise:
    key: str
    title: str
    goal: str
    steps: tuple[str, ...]
    hints: tuple[str, ...]
    start_url_name: str
    check: Callable[..., bool]


CATALOGUE: tuple[Exercise, ...] = (
    Exercise(
        key="production-outage-case",
        title="Create a technical case at the right severity for a production outage",
        goal=(
            "Your web shop is down: customers cannot place orders. Open a technical support case "
            "at the severity AWS defines for exactly this situation."
        ),
        steps=(
            "Open the Support Center from the top bar and create a case.",
            "Choose Technical, then the service and category that fit the outage.",
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
    ),
    Exercise(
        key="root-mfa",
        title="Enable MFA on the root user",
        goal="The root user can do anything in the account. Protect it with a virtual MFA device.",
        steps=(
            "Open IAM from the top bar while signed in as the root user.",
            "Under security recommendations, assign an MFA device to the root user.",
            "Scan the QR code (or type the secret key) into an authenticator app and enter two consecutive codes.",
        ),
        hints=(
            "Only the root user can add MFA to the root user; IAM users cannot, not even administrators.",
            "The two codes must be consecutive: wait for the app to show a new code before typing the second.",
        ),
        start_url_name="iam:home",
        check=checks.root_mfa_on,
    ),
    Exercise(
        key="security-contact",
        title="Add a security alternate contact",
        goal="AWS sends security notifications to the security contact as well as the root user. Name one.",
        steps=(
            "Open Account from the top bar.",
            "In Alternate contacts, edit the Security contact.",
            "Enter a full name, title, email address and phone number, then save.",
        ),
        hints=(
            "The billing and operations contacts are already filled in; only the security contact is missing.",
            "Phone numbers may contain digits, spaces, +, - and parentheses.",
        ),
        start_url_name="accounts:home",
        check=checks.security_contact_added,
    ),
    Exercise(
        key="support-without-resolve",
        title="Give a user support access without the right to resolve cases",
        goal=(
            "Create a new IAM user who can open, read and answer support cases but cannot resolve them, "
            "so that only a lead closes cases."
        ),
        steps=(
            "Open IAM from the top bar and create a user.",
            "Give the user a policy that allows support:* ...",
            "... and explicitly denies support:ResolveCase.",
        ),
        hints=(
            "An explicit Deny always wins over an Allow, whichever policy it is in.",
            "The existing support-agent user already works this way; the exercise wants a user you create.",
        ),
        start_url_name="iam:home",
        check=checks.support_access_without_resolve,
    ),
    Exercise(
        key="opt-in-region",
        title="Enable an opt-in Region",
        goal="Regions launched after March 2019 are off until you opt in. Turn one on so that the team can use it.",
        steps=(
            "Open Account from the top bar and find the AWS Regions section.",
            "Choose a Region whose status is Disabled and enable it.",
            "Wait until its status changes from Enabling to Enabled, then check your work.",
        ),
        hints=(
            "Europe (Milan) is already enabled; pick a different one.",
            "Enabling takes about a minute, like in AWS; the page shows Enabling meanwhile.",
        ),
        start_url_name="accounts:home",
        check=checks.opt_in_region_enabled,
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
    ),
)

_BY_KEY = {exercise.key: exercise for exercise in CATALOGUE}


def find_exercise(key: str) -> Exercise | None:
    return _BY_KEY.get(key)
