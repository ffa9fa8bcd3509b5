"""Console passwords ("login profiles") of IAM users."""

from iam import services
from iam.exceptions import EntityAlreadyExists, NoSuchEntity
from iam.services.passwords import may_change_own_password, set_password_reset_required

from ...errors import ApiError

from . import operations
from .common import user_or_caller


def _user(call):
    """UserName is optional in Get/Update/DeleteLoginProfile: AWS applies them to the calling user."""
    user = user_or_caller(call)
    if user is None:
        raise ApiError("ValidationError", "UserName is required: the caller is not an IAM user.")
    call.authorize(user.arn)
    return user


def _profile(user) -> dict:
    return {"UserName": user.name, "CreateDate": user.password_changed_at or user.created_at,
            "PasswordResetRequired": user.password_reset_required}


@operations("CreateLoginProfile")
def create_login_profile(call):
    user = _user(call)
    if user.has_console_password:
        raise EntityAlreadyExists(f"Login Profile for user {user.name} already exists.")
    services.set_console_password(user, call.params["Password"], reset_required=call.params.get("PasswordResetRequired", False))
    user.refresh_from_db()
    return {"LoginProfile": _profile(user)}


@operations("GetLoginProfile")
def get_login_profile(call):
    user = _user(call)
    if not user.has_console_password:
        raise NoSuchEntity(f"Login Profile for User {user.name} cannot be found.")
    return {"LoginProfile": _profile(user)}


@operations("DeleteLoginProfile")
def delete_login_profile(call):
    services.delete_console_password(_user(call))


@operations("UpdateLoginProfile")
def update_login_profile(call):
    user = _user(call)
    params = call.params
    if "Password" in params:
        if not user.has_console_password:
            raise NoSuchEntity(f"Login Profile for User {user.name} cannot be found.")
        services.set_console_password(user, params["Password"], reset_required=params.get("PasswordResetRequired", False))
    elif "PasswordResetRequired" in params:
        set_password_reset_required(user, params["PasswordResetRequired"])


@operations("ChangePassword")
def change_password(call):
    """An IAM user changes their own password: allowed by the password policy, or by iam:ChangePassword."""
    user = call.principal.user
    if user is None or call.principal.is_role_session:
        raise ApiError("InvalidUserType", "Only IAM users can change their own password with ChangePassword.")
    if not may_change_own_password(user):
        call.authorize(user.arn)
    services.change_own_password(user, call.params["OldPassword"], call.params["NewPassword"])
