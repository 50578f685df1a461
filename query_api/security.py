"""Password hashing (argon2 via pwdlib) and signed access tokens (JWT, HS256)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt
from pwdlib import PasswordHash

from core.settings import Settings

ALGORITHM = "HS256"
_hasher = PasswordHash.recommended()
# Verified against when the account is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class TokenError(Exception):
    """The bearer token is forged, malformed, expired or incomplete."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TokenClaims:
    user_id: UUID
    role: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-ish time whether or not the account exists."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def create_access_token(settings: Settings, user_id: UUID, role: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


_VERIFIED_MAX = 4096
_verified: dict[tuple[str, str], tuple[TokenClaims, float]] = {}


def decode_access_token(settings: Settings, token: str) -> TokenClaims:
    """Verify signature and expiry (HS256 only, `exp` required).

    A token already verified with this key is not verified again: its claims are kept (up to
    a few thousand tokens) and only its expiry is checked, as the signature check would.
    """
    key = (settings.secret_key, token)
    known = _verified.get(key)
    if known is not None:
        if datetime.now(UTC).timestamp() >= known[1]:
            raise TokenError("TOKEN_EXPIRED", "The access token has expired")
        return known[0]
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
        verified = TokenClaims(user_id=UUID(str(claims["sub"])), role=str(claims.get("role", "")))
        expires = float(claims["exp"])
    except jwt.ExpiredSignatureError:
        raise TokenError("TOKEN_EXPIRED", "The access token has expired") from None
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise TokenError("INVALID_TOKEN", "The access token is not valid") from None
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()  # simple and bounded: the next requests verify again
    _verified[key] = (verified, expires)
    return verified
