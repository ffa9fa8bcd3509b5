"""The AWS managed policy catalogue, one JSON file per policy beside this module.

Each file holds {"Description", "Path", "Document"}; the document is stored
verbatim. A changed document becomes a new default version, as AWS publishes them.
"""

import json
from pathlib import Path

from django.db import transaction

CATALOGUE_DIR = Path(__file__).resolve().parent


def load_catalogue() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CATALOGUE_DIR.glob("*.json"))}


def sync_aws_managed_policies(**_signal_arguments) -> None:
    from iam.models import Policy, PolicyVersion

    with transaction.atomic():
        for name, entry in load_catalogue().items():
            document = json.dumps(entry["Document"], indent=4)
            policy, _ = Policy.objects.update_or_create(
                account=None,
                name=name,
                defaults={"path": entry.get("Path", "/"), "description": entry.get("Description", "")},
            )
            current = policy.versions.filter(is_default=True).first()
            if current and current.document == document:
                continue
            policy.versions.update(is_default=False)
            PolicyVersion.objects.create(
                policy=policy, version_id=f"v{policy.versions.count() + 1}", document=document, is_default=True
            )
