"""Who may call which Trusted Advisor operation, over which channel.

"Access to Trusted Advisor in the AWS Management Console is controlled by a separate
`trustedadvisor` IAM namespace. Access to Trusted Advisor with the AWS Support API is
controlled by the `support` IAM namespace." (AWS Support User Guide)
"""

from enum import Enum

from iam.authorization import authorize, is_allowed
from iam.principals import Principal
from iam.services.identities import trusted_advisor_enabled

from ..exceptions import TrustedAdvisorDisabled


class Via(Enum):
    API = "api"
    CONSOLE = "console"


# operation -> action asked of IAM for each channel (console-only operations have no API action)
ACTIONS = {
    "DescribeChecks": {Via.API: "support:DescribeTrustedAdvisorChecks", Via.CONSOLE: "trustedadvisor:DescribeChecks"},
    "DescribeCheckResult": {
        Via.API: "support:DescribeTrustedAdvisorCheckResult",
        Via.CONSOLE: "trustedadvisor:DescribeCheckItems",
    },
    "DescribeCheckSummaries": {
        Via.API: "support:DescribeTrustedAdvisorCheckSummaries",
        Via.CONSOLE: "trustedadvisor:DescribeCheckSummaries",
    },
    "DescribeCheckRefreshStatuses": {
        Via.API: "support:DescribeTrustedAdvisorCheckRefreshStatuses",
        Via.CONSOLE: "trustedadvisor:DescribeCheckRefreshStatuses",
    },
    "RefreshCheck": {Via.API: "support:RefreshTrustedAdvisorCheck", Via.CONSOLE: "trustedadvisor:RefreshCheck"},
    "ExcludeCheckItems": {Via.CONSOLE: "trustedadvisor:ExcludeCheckItems"},
    "IncludeCheckItems": {Via.CONSOLE: "trustedadvisor:IncludeCheckItems"},
    "SetAccountAccess": {Via.CONSOLE: "trustedadvisor:SetAccountAccess"},
    "DescribeAccountAccess": {Via.CONSOLE: "trustedadvisor:DescribeAccountAccess"},
    "DescribeNotificationPreferences": {Via.CONSOLE: "trustedadvisor:DescribeNotificationPreferences"},
    "UpdateNotificationPreferences": {Via.CONSOLE: "trustedadvisor:UpdateNotificationPreferences"},
}


def admit(principal: Principal, operation: str, via: Via) -> None:
    """IAM must allow the operation, and Trusted Advisor must be enabled in the account."""
    action = ACTIONS[operation][via]
    authorize(principal, action)
    if not trusted_advisor_enabled(principal.account):
        raise TrustedAdvisorDisabled(principal.account.account_id, action)


def may(principal: Principal, operation: str, via: Via = Via.CONSOLE) -> bool:
    """For showing a control; the operation itself still calls admit()."""
    return is_allowed(principal, ACTIONS[operation][via])
