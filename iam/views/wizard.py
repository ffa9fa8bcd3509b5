"""What the create-user and create-role wizards share: their answers kept between steps, the step list.

Answers live in the session, under the account they were given for (a signed-in principal of another
account, or a later sign-in, starts afresh). A password is never kept: only its hash, once checked.
"""

from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.urls import reverse

from ..authorization import authorize
from ..selectors import attachable_policies


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str


class Wizard:
    def __init__(self, request, name: str, steps: tuple[Step, ...], action: str):
        """Every step of a create wizard needs the create action itself (e.g. iam:CreateUser)."""
        authorize(request.principal, action)
        self.request = request
        self.session_key = f"iam-wizard-{name}"
        self.steps = steps
        stored = request.session.get(self.session_key) or {}
        self.answers: dict = stored.get("answers", {}) if stored.get("account") == request.account.account_id else {}

    def get(self, step: str) -> dict:
        return self.answers.get(step, {})

    def put(self, step: str, values: dict) -> None:
        self.answers[step] = values
        self.request.session[self.session_key] = {"account": self.request.account.account_id, "answers": self.answers}

    def clear(self) -> None:
        self.request.session.pop(self.session_key, None)

    def missing_step(self, current: str):
        """A redirect to the first earlier step not yet answered (someone opened a later step's URL), or None."""
        for step in self.steps:
            if step.key == current:
                return None
            if step.key not in self.answers:
                return redirect(step.url_name)
        return None

    def render(self, step: str, template: str, context: dict):
        return render(self.request, template, {**self.navigation(step), **context})

    def navigation(self, current: str) -> dict:
        """For templates/iam/wizard/layout.html: the steps with the current one marked, and the previous step's URL."""
        index = next(number for number, step in enumerate(self.steps) if step.key == current)
        return {
            "wizard_steps": [
                {"number": number + 1, "title": step.title, "current": step.key == current,
                 "url": reverse(step.url_name) if number < index else None}
                for number, step in enumerate(self.steps)
            ],
            "step_number": index + 1,
            "step_title": self.steps[index].title,
            "previous_url": reverse(self.steps[index - 1].url_name) if index else None,
        }


def posted(request):
    """The form data of a POST, even an empty one (ticking nothing is an answer), else None."""
    return request.POST if request.method == "POST" else None


def chosen_policies(account, arns: list[str]):
    """The policies picked at the permissions step as they are now (one query), and the ARNs gone since."""
    by_arn = {policy.arn: policy for policy in attachable_policies(account)}
    return [by_arn[arn] for arn in arns if arn in by_arn], [arn for arn in arns if arn not in by_arn]


def authorize_tagging(principal, action: str, arn: str, tags: dict[str, str]) -> None:
    """iam:TagUser / iam:TagRole with the request's tag keys and values, as IAM checks tags given at creation."""
    if tags:
        authorize(principal, action, arn,
                  {"aws:TagKeys": list(tags), **{f"aws:RequestTag/{key}": value for key, value in tags.items()}})
