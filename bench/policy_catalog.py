"""How long the policy editor takes to check a document, and to build its action catalog once per process.

The catalog (iam/action_catalog.py) is read from every service model inside botocore (~450 of them) once per
install, then from the file kept under RUNTIME_DIR: what is measured here is the build of a process that finds
the file (the first run after an install reads the models). After that, a review of a policy at
the 6,144-character limit must answer within 50 ms of CPU time so the warnings keep up with typing
(the editor re-asks 400 ms after the last keystroke). CPU time of this process, so other work on the
machine does not count.

Run: `.venv/bin/python bench/policy_catalog.py` (exit status 1 when a target is missed).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from iam.action_catalog import catalog  # noqa: E402
from iam.policy_language import policy_size  # noqa: E402
from iam.policy_review import review_policy  # noqa: E402

BUILD_TARGET_SECONDS = 10.0
REVIEW_TARGET_MILLISECONDS = 50.0


def big_policy() -> str:
    """Close to the managed-policy limit: many services, wildcards, a misspelling, conditions."""
    actions = ["iam:Get*", "iam:List*", "support:*", "support:DescribeCase", "s3:GetObject", "ec2:Describe*"]
    statements = []
    while True:
        statement = {"Effect": "Allow", "Action": actions, "Resource": f"arn:aws:s3:::bucket-{len(statements)}/*",
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
        text = json.dumps({"Version": "2012-10-17", "Statement": [*statements, statement]})
        if policy_size(text) > 6144:
            return json.dumps({"Version": "2012-10-17", "Statement": statements})
        statements.append(statement)


def main() -> int:
    started = time.process_time()
    services = catalog().services
    build = time.process_time() - started
    document = big_policy()
    rounds = 20
    started = time.process_time()
    for _ in range(rounds):
        review = review_policy(document)
    per_review = (time.process_time() - started) / rounds * 1000
    actions = sum(len(service.actions) for service in services.values())
    print(f"catalog: {len(services)} services, {actions} actions, built in {build:.2f} s CPU (target {BUILD_TARGET_SECONDS} s)")
    print(f"review of a {review.size}-character policy: {per_review:.1f} ms CPU (target {REVIEW_TARGET_MILLISECONDS} ms), "
          f"{len(review.findings)} findings")
    return 0 if build <= BUILD_TARGET_SECONDS and per_review <= REVIEW_TARGET_MILLISECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
