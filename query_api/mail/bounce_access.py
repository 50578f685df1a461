"""Who may post a bounce: an admin, or an MTA holding MAIL_BOUNCE_TOKEN as its bearer token."""

import hmac
from typing import Annotated

from fastapi import Depends

from core import error_codes as codes
from core.settings import get_settings
from query_api.service.deps import get_current_user, optional_oauth2
from query_api.service.errors import ApiError, unauthorized

ADMIN = "admin"


async def bounce_reporter(token: Annotated[str | None, Depends(optional_oauth2)]) -> str:
    """Who posts: "token" for MAIL_BOUNCE_TOKEN, else the admin's id (401 without a token or
    with a bad one, 403 FORBIDDEN for anyone else signed in)."""
    if token is None:
        raise unauthorized(codes.NOT_AUTHENTICATED,
                           "Posting a bounce needs an admin's token or MAIL_BOUNCE_TOKEN")
    expected = get_settings().mail_bounce_token
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return "token"
    user = await get_current_user(token)  # not the bounce token: it must be a sign-in's
    if user.role != ADMIN:
        raise ApiError(codes.FORBIDDEN, "Only admins and MAIL_BOUNCE_TOKEN may post bounces")
    return str(user.id)


BounceReporter = Annotated[str, Depends(bounce_reporter)]
