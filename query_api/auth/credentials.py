"""Password hashing (argon2 via pwdlib, a few at once) and signed access tokens (JWT, HS256)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from uuid import UUID

import jwt
from pwdlib import PasswordHash
from starlette.concurrency import run_in_threadpool

from core import error_codes as codes
from core.settings import Settings
from query_api.auth.hash_turns import hashing_turn
from query_api.service.errors import unauthorized

ALGORITHM = "HS256"
# How far in the future a token's `iat` may be (clocks of the API processes differ a little).
CLOCK_LEEWAY_SECONDS = 30
_hasher = PasswordHash.recommended()
# Verified against when the account is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
T = TypeVar("T")


@dataclass(frozen=True)
class TokenClaims:
    user_id: UUID
    role: str
    version: int = 0  # the account's token_version when issued (absent: 0, as before it existed)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-ish time whether or not the account exists."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


async def hashing(address: str, work: Callable[..., T], *args: object) -> T:
    """Run a password hash in a worker thread, in a fair turn for the caller's `address`
    (query_api/auth/hash_turns.py: a few at once, else 503 AUTH_BUSY after a bounded wait)."""
    async with hashing_turn(address):
        return await run_in_threadpool(work, *args)


def create_access_token(settings: Settings, user_id: UUID, role: str, version: int = 0) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "role": role,
        "ver": version,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


_VERIFIED_MAX = 4096
_verified: dict[tuple[str, str], tuple[TokenClaims, float]] = {}


def decode_access_token(settings: Settings, token: str) -> TokenClaims:
    """Verify signature, expiry and lifetime (HS256 only, `exp`, `iat` and `sub` required);
    a token forged, malformed, expired, too long-lived or incomplete is a 401.

    A token already verified with this key is not verified again: its claims are kept (up to
    a few thousand tokens) and only its expiry is checked, as the signature check would.
    """
    key = (settings.secret_key, token)
    known = _verified.get(key)
    if known is not None:
        if datetime.now(UTC).timestamp() >= known[1]:
            raise unauthorized(codes.TOKEN_EXPIRED, "The access token has expired")
        return known[0]
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"], "verify_iat": False},  # checked below
        )
        verified = TokenClaims(user_id=UUID(str(claims["sub"])), role=str(claims.get("role", "")),
                               version=_version(claims.get("ver", 0)))
        issued, expires = float(claims["iat"]), float(claims["exp"])
    except jwt.ExpiredSignatureError:
        raise unauthorized(codes.TOKEN_EXPIRED, "The access token has expired") from None
    except (jwt.InvalidTokenError, ValueError, TypeError, OverflowError):
        raise unauthorized(codes.INVALID_TOKEN, "The access token is not valid") from None
    _check_lifetime(settings, issued, expires)
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()  # simple and bounded: the next requests verify again
    _verified[key] = (verified, expires)
    return verified


def _version(value: object) -> int:
    if type(value) is not int:  # not a bool, a float nor a string
        raise ValueError("ver must be an integer")
    return value


def _check_lifetime(settings: Settings, issued: float, expires: float) -> None:
    """Even correctly signed, a token lives no longer than the tokens this API issues."""
    if issued > datetime.now(UTC).timestamp() + CLOCK_LEEWAY_SECONDS:
        raise unauthorized(codes.INVALID_TOKEN, "The access token is issued in the future")
    if expires - issued > settings.access_token_minutes * 60:
        raise unauthorized(codes.TOKEN_LIFETIME_EXCEEDED,
                           "The access token lives longer than this API allows")
