"""IAM over the Query protocol. Each handler checks the IAM action on the resource, then calls iam.services."""

from ...service_models import IAM
from .. import Operations

operations = Operations(IAM)

from . import (  # noqa: E402,F401  (they register their handlers)
    access_keys,
    account,
    delegation,
    groups,
    identity_policies,
    login_profiles,
    mfa,
    policies,
    roles,
    simulation,
    tags,
    users,
)
