from django.urls import path

from .views import (
    account_settings,
    credential_report,
    credentials,
    dashboard,
    groups,
    permissions,
    policies,
    role_wizard,
    roles,
    signin,
    simulator,
    switch_role,
    tags,
    user_wizard,
    users,
)

app_name = "iam"


def _permission_routes(kind: str) -> list:
    """Attach/detach and inline policies read the same for users, groups and roles."""
    prefix = f"{kind}s/<str:name>/"
    extra = {"kind_key": kind}
    return [
        path(prefix + "policies/attach/", permissions.attach, extra, name=f"{kind}-attach"),
        path(prefix + "policies/detach/", permissions.detach, extra, name=f"{kind}-detach"),
        path(prefix + "inline/new/", permissions.inline_edit, extra, name=f"{kind}-inline-new"),
        path(prefix + "inline/<str:policy_name>/", permissions.inline_edit, extra, name=f"{kind}-inline-edit"),
        path(prefix + "inline/<str:policy_name>/delete/", permissions.inline_delete, extra, name=f"{kind}-inline-delete"),
    ]


def _tag_routes(kind: str) -> list:
    """Users and roles carry tags; groups cannot."""
    prefix = f"{kind}s/<str:name>/tags/"
    extra = {"kind_key": kind}
    return [
        path(prefix, tags.tag, extra, name=f"{kind}-tag"),
        path(prefix + "remove/", tags.untag, extra, name=f"{kind}-untag"),
    ]


def _credential_routes(prefix: str, route_prefix: str) -> list:
    """Access keys and MFA of an IAM user (users/<name>/) or of the root user (root/)."""
    return [
        path(prefix + "access-keys/create/", credentials.access_key_create, name=f"{route_prefix}access-key-create"),
        path(prefix + "access-keys/<str:access_key_id>/status/", credentials.access_key_status, name=f"{route_prefix}access-key-status"),
        path(prefix + "access-keys/<str:access_key_id>/delete/", credentials.access_key_delete, name=f"{route_prefix}access-key-delete"),
        path(prefix + "mfa/", credentials.mfa_enrol, name=f"{route_prefix}mfa"),
        path(prefix + "mfa/resync/", credentials.mfa_resync, name=f"{route_prefix}mfa-resync"),
        path(prefix + "mfa/deactivate/", credentials.mfa_deactivate, name=f"{route_prefix}mfa-deactivate"),
    ]


urlpatterns = [
    path("", dashboard.dashboard, name="home"),
    path("credential-report/", credential_report.credential_report_page, name="credential-report"),
    path("credential-report/download/", credential_report.credential_report_download, name="credential-report-download"),
    path("signin/mfa/", signin.sign_in_mfa, name="signin-mfa"),
    path("signin/new-password/", signin.sign_in_new_password, name="signin-new-password"),
    path("users/", users.user_list, name="user-list"),
    path("users/create/", user_wizard.user_create, name="user-create"),
    path("users/create/permissions/", user_wizard.user_create_permissions, name="user-create-permissions"),
    path("users/create/review/", user_wizard.user_create_review, name="user-create-review"),
    path("users/create/cancel/", user_wizard.user_create_cancel, name="user-create-cancel"),
    path("users/<str:name>/", users.user_detail, name="user-detail"),
    path("users/<str:name>/delete/", users.user_delete, name="user-delete"),
    path("users/<str:name>/password/", users.user_password, name="user-password"),
    path("users/<str:name>/password/remove/", users.user_password_remove, name="user-password-remove"),
    path("users/<str:name>/groups/", users.user_groups, name="user-groups"),
    *_credential_routes("users/<str:name>/", "user-"),
    path("groups/", groups.group_list, name="group-list"),
    path("groups/create/", groups.group_create, name="group-create"),
    path("groups/<str:name>/", groups.group_detail, name="group-detail"),
    path("groups/<str:name>/members/", groups.group_members, name="group-members"),
    path("groups/<str:name>/delete/", groups.group_delete, name="group-delete"),
    path("roles/", roles.role_list, name="role-list"),
    path("roles/create/", role_wizard.role_create, name="role-create"),
    path("roles/create/permissions/", role_wizard.role_create_permissions, name="role-create-permissions"),
    path("roles/create/review/", role_wizard.role_create_review, name="role-create-review"),
    path("roles/create/cancel/", role_wizard.role_create_cancel, name="role-create-cancel"),
    path("roles/<str:name>/", roles.role_detail, name="role-detail"),
    path("roles/<str:name>/edit/", roles.role_edit, name="role-edit"),
    path("roles/<str:name>/trust/", roles.role_trust, name="role-trust"),
    path("roles/<str:name>/delete/", roles.role_delete, name="role-delete"),
    *_permission_routes("user"),
    *_permission_routes("group"),
    *_permission_routes("role"),
    *_tag_routes("user"),
    *_tag_routes("role"),
    path("policies/", policies.policy_list, name="policy-list"),
    path("policies/create/", policies.policy_create, name="policy-create"),
    path("policies/review/", policies.policy_review, name="policy-review"),
    path("policies/<str:policy_id>/", policies.policy_detail, name="policy-detail"),
    path("policies/<str:policy_id>/delete/", policies.policy_delete, name="policy-delete"),
    path("policies/<str:policy_id>/versions/new/", policies.policy_version_create, name="policy-version-create"),
    path("policies/<str:policy_id>/versions/<str:version_id>/default/", policies.policy_version_default, name="policy-version-default"),
    path("policies/<str:policy_id>/versions/<str:version_id>/delete/", policies.policy_version_delete, name="policy-version-delete"),
    path("password-policy/", account_settings.password_policy_view, name="password-policy"),
    path("password-policy/edit/", account_settings.password_policy_edit, name="password-policy-edit"),
    path("password-policy/delete/", account_settings.password_policy_delete, name="password-policy-delete"),
    path("security-credentials/", credentials.security_credentials, name="security-credentials"),
    path("switch-role/", switch_role.switch_role, name="switch-role"),
    *_credential_routes("root/", "root-"),
    path("my-password/", credentials.change_password, name="change-password"),
    path("simulator/", simulator.simulator, name="simulator"),
]
