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


def decode_access_token(settings: Settings, token: str) -> TokenClaims:
    """Verify signature and expiry (HS256 only, `exp` required)."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
        return TokenClaims(user_id=UUID(str(claims["sub"])), role=str(claims.get("role", "")))
    except jwt.ExpiredSignatureError:
        raise TokenError("TOKEN_EXPIRED", "The access token has expired") from None
    except (jwt.InvalidTokenError, ValueError):
        raise TokenError("INVALID_TOKEN", "The access token is not valid") from None
