"""Console sign-ins in the event history, in the shape of CloudTrail's ConsoleLogin event.

CloudTrail records each console sign-in, successful or not, as eventName ConsoleLogin from
signin.amazonaws.com, eventType AwsConsoleSignIn, responseElements {"ConsoleLogin": "Success"|"Failure"},
errorMessage "Failed authentication" on failure, and additionalEventData with LoginTo, MobileVersion
and MFAUsed. A failure for a user name that does not exist hides the name.
"""

from django.conf import settings

from iam.principals import Principal

from .models import Event, EventType
from .services import HIDDEN, record_event

SIGN_IN_SOURCE = "signin.amazonaws.com"
CONSOLE_LOGIN = "ConsoleLogin"
FAILED_AUTHENTICATION = "Failed authentication"


def record_console_login(
    account,
    *,
    user=None,
    user_name: str = "",
    succeeded: bool,
    mfa_used: bool,
    login_to: str = "/",
    source_ip: str = "",
    user_agent: str = "",
) -> Event:
    """One ConsoleLogin event in `account`'s history: the root user's when neither `user` nor
    `user_name` is given, an IAM user's otherwise (`user` None: the typed name matched nobody)."""
    principal = Principal(account=account, user=user)
    identity = None
    if user is None and user_name:
        identity = {"type": "IAMUser", "principalId": account.account_id, "accountId": account.account_id,
                    "userName": HIDDEN}
    return record_event(
        principal,
        event_source=SIGN_IN_SOURCE,
        event_name=CONSOLE_LOGIN,
        event_type=EventType.CONSOLE_SIGN_IN,
        read_only=False,
        identity=identity,
        response_elements={CONSOLE_LOGIN: "Success" if succeeded else "Failure"},
        error_message="" if succeeded else FAILED_AUTHENTICATION,
        additional_event_data={
            "LoginTo": settings.CONSOLE_URL + login_to,
            "MobileVersion": "No",
            "MFAUsed": "Yes" if mfa_used else "No",
        },
        source_ip=source_ip,
        user_agent=user_agent,
    )
