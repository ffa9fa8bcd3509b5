"""What to do about each check's finding, and the console page where it is done.

AWS's check descriptions end in a "Recommended Action"; here it sits beside the check's ID with the
URL name of the sandbox page that fixes it, so the dashboard can link straight there.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Recommendation:
    action: str
    url_name: str
    link_text: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


RECOMMENDATIONS = {
    "AltCntct01": Recommendation(
        "Set the billing, operations and security alternate contacts.", "accounts:alternate-contacts", "Alternate contacts"),
    "BrkGlAdm01": Recommendation(
        "Give a second trusted IAM user administrator access, for example through an administrators group.",
        "iam:group-list", "IAM user groups"),
    "RgnUnUsd01": Recommendation("Disable the opt-in Regions you do not use.", "accounts:regions", "AWS Regions"),
    "7DAFEmoDos": Recommendation("Assign an MFA device to the root user.", "iam:security-credentials", "My security credentials"),
    "zXCkfM1nI3": Recommendation(
        "Create IAM users for everyday work instead of signing in as the root user.", "iam:user-create", "Create user"),
    "Yw2K9puPzl": Recommendation(
        "Set a password policy that requires uppercase, lowercase, numbers and symbols.", "iam:password-policy-edit",
        "Edit password policy"),
    "Ro0tAkEy01": Recommendation(
        "Delete the root user's access keys; use an IAM user's keys instead.", "iam:security-credentials",
        "My security credentials"),
    "DqdJqYeRm5": Recommendation(
        "Create a new access key, move its users to it, then deactivate and delete the old one.", "iam:user-list", "IAM users"),
    "UnUsEdAk90": Recommendation("Deactivate, then delete, access keys nobody uses.", "iam:user-list", "IAM users"),
    "InAcTvUs90": Recommendation(
        "Remove the console password of users who no longer sign in, or delete the user.", "iam:user-list", "IAM users"),
    "MfAcOnUs01": Recommendation("Assign an MFA device to every user with a console password.", "iam:user-list", "IAM users"),
    "UnUsEdRl90": Recommendation("Delete roles nobody has assumed in 90 days.", "iam:role-list", "IAM roles"),
    "FuLlAdMn01": Recommendation(
        "Replace \"Action\": \"*\" with the actions the job needs; the policy editor summarises what a policy grants.",
        "iam:policy-list", "IAM policies"),
    "eW7HH0l7J9": Recommendation(
        "Ask for a service limit increase before usage reaches the limit.", "cases:create", "Create a support case"),
    "CaSeRsPt01": Recommendation(
        "Open the case; add details or raise its severity if the business impact grew.", "cases:home", "Support cases"),
    "CaSeRpLy01": Recommendation(
        "Reply to the cases waiting for you before they are closed automatically.", "cases:home", "Support cases"),
    "SuPlnFit01": Recommendation("Review whether your support plan matches your cases.", "accounts:support-plan", "Support plan"),
    "SlReqRgn01": Recommendation(
        "Enable the Region a limit increase is requested for, or correct the request.", "accounts:regions", "AWS Regions"),
    "12Fnkpl8Y5": Recommendation(
        "Delete the exposed access key at once and check the event history for its use.", "iam:user-list", "IAM users"),
}


def recommendation_for(check_id: str) -> Recommendation | None:
    return RECOMMENDATIONS.get(check_id)
