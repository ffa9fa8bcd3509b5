"""Writes on IAM. Every function validates first, runs in a transaction and changes nothing on error.

Callers (console views, the wire API, tasks) check permission with
iam.authorization.authorize() first; these functions enforce IAM's own rules.
"""

from .access_keys import (
    ACCESS_KEYS_PER_IDENTITY,
    access_key_use_due,
    create_access_key,
    delete_access_key,
    find_access_key,
    record_access_key_use,
    update_access_key_status,
)
from .identities import (
    GROUPS_PER_USER,
    ROLES_PER_ACCOUNT,
    SUPPORT_ROLE,
    TRUSTED_ADVISOR_ROLE,
    add_user_to_group,
    check_new_role,
    check_new_user,
    create_group,
    create_role,
    create_service_linked_role,
    create_service_linked_roles,
    delete_service_linked_role,
    create_user,
    delete_group,
    delete_role,
    delete_user,
    remove_user_from_group,
    set_trusted_advisor_enabled,
    trusted_advisor_enabled,
    update_role,
    update_trust_policy,
)
from .mfa import (
    create_unassigned_mfa_device,
    create_virtual_mfa_device,
    deactivate_mfa_device,
    delete_virtual_mfa_device,
    enable_mfa_device,
    mfa_device_of,
    remove_mfa_device,
    resync_mfa_device,
    tag_mfa_device,
    untag_mfa_device,
    verify_mfa_code,
)
from .passwords import (
    change_own_password,
    delete_console_password,
    delete_password_policy,
    password_change_required,
    set_console_password,
    update_password_policy,
    validate_new_password,
)
from .policies import (
    attach_policies,
    attach_policy,
    attach_user_policy,
    create_customer_managed_policy,
    create_policy_version,
    delete_inline_policy,
    delete_policy,
    delete_policy_version,
    detach_policy,
    put_inline_policy,
    set_default_policy_version,
)
from .provisioning import create_role_with_access, create_user_with_access
from .tags import TAGS_PER_IDENTITY, tag_identity, untag_identity
