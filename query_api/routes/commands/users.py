"""The admin's creation of users and their role changes."""

from uuid import UUID

from fastapi import APIRouter

from core import error_codes as codes
from core.db import session_scope
from query_api.auth import user_accounts
from query_api.auth.user_cache import user_cache
from query_api.schemas import RoleIn, UserCreateIn, UserOut
from query_api.service.deps import AdminUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=201, responses={409: {"description": named(codes.EMAIL_TAKEN)}})
def create_user(_: AdminUser, body: UserCreateIn) -> UserOut:
    """Create a user with any role."""
    with session_scope() as session:
        user = user_accounts.create_user(
            session,
            email=body.email,
            password=body.password,
            name=body.name,
            phone=body.phone,
            role=body.role,
        )
        return UserOut.model_validate(user)


@router.patch("/{user_id}", responses={
    400: {"description": described(codes.OWN_ROLE)},
    404: {"description": named(codes.USER_NOT_FOUND)}})
def set_user_role(user_id: UUID, admin: AdminUser, body: RoleIn) -> UserOut:
    """Grant or revoke a role, e.g. `{"role": "organizer"}` (admins only; counts at once)."""
    if user_id == admin.id:  # so the last admin cannot lock everyone out
        raise ApiError(codes.OWN_ROLE, "An admin cannot change their own role")
    user = user_accounts.set_role(user_id, body.role)
    user_cache().forget(user_id)
    return UserOut.model_validate(user)
