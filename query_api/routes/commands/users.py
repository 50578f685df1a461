"""The admin's creation of users, their role changes, and signing a user out everywhere; a
user's own choice of language."""

from uuid import UUID

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from core import error_codes as codes
from core.db import session_scope
from core.languages import DEFAULT_LANGUAGE
from query_api.auth import user_accounts
from query_api.auth.user_cache import user_cache
from query_api.schemas import LanguageIn, RoleIn, UserCreateIn, UserOut
from query_api.service.deps import AdminUser, CurrentUser
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=201, responses={
    409: {"description": named(codes.EMAIL_TAKEN)},
    422: {"description": described(codes.UNSUPPORTED_LANGUAGE)}})
def create_user(_: AdminUser, body: UserCreateIn) -> UserOut:
    """Create a user with any role (their messages in `language`, English if left out)."""
    language = (DEFAULT_LANGUAGE if body.language is None
                else user_accounts.supported_language(body.language))
    with session_scope() as session:
        user = user_accounts.create_user(
            session,
            email=body.email,
            password=body.password,
            name=body.name,
            phone=body.phone,
            role=body.role,
            language=language,
        )
        return UserOut.model_validate(user)


@router.put("/me/language", responses={
    422: {"description": described(codes.UNSUPPORTED_LANGUAGE)}})
def set_my_language(user: CurrentUser, body: LanguageIn) -> UserOut:
    """Choose the language of your messages, tickets and invoices (and of the web UI): the
    account as `GET /api/users/me` answers it."""
    language = user_accounts.supported_language(body.language)
    changed = user_accounts.set_language(user.id, language)
    user_cache().forget(user.id)  # this process's next request reads the new language
    return UserOut.model_validate(changed)


@router.patch("/{user_id}", responses={
    409: {"description": described(codes.CANNOT_CHANGE_OWN_ROLE)},
    404: {"description": named(codes.USER_NOT_FOUND)}})
def set_user_role(user_id: UUID, admin: AdminUser, body: RoleIn) -> UserOut:
    """Grant or revoke a role, e.g. `{"role": "organizer"}` (admins only; never their own;
    counts at once)."""
    if user_id == admin.id:  # so the last admin cannot lock everyone out
        raise ApiError(codes.CANNOT_CHANGE_OWN_ROLE, "An admin cannot change their own role")
    user = user_accounts.set_role(user_id, body.role)
    user_cache().forget(user_id)
    return UserOut.model_validate(user)


@router.post("/{user_id}/sessions/revoke", status_code=204, response_class=Response,
             responses={404: {"description": named(codes.USER_NOT_FOUND)}})
async def revoke_user_sessions(user_id: UUID, _: AdminUser) -> Response:
    """Sign the user out everywhere: every token issued to them so far stops working (an
    admin's own too, when they name themself)."""
    await run_in_threadpool(user_accounts.revoke_tokens, user_id)
    # Other API processes may accept the token until their copy of the row ages out
    # (USER_CACHE_SECONDS), as after the user's own sign-out.
    user_cache().forget(user_id)
    return Response(status_code=204)
