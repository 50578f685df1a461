"""Standard Webhooks signatures (https://www.standardwebhooks.com): secrets and headers."""

import base64
import secrets
from datetime import UTC, datetime
from uuid import UUID

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32  # the specification asks for 24 to 64 random bytes


def new_secret() -> str:
    """A fresh endpoint secret, `whsec_` + base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def message_id(delivery_id: UUID) -> str:
    """The `webhook-id` of a delivery: the same on every attempt and replay, so a receiver can
    drop one it already processed."""
    return f"msg_{delivery_id.hex}"


def signed_headers(secret: str, delivery_id: UUID, body: str,
                   now: datetime | None = None) -> dict[str, str]:
    """The three headers of one attempt, signed at `now` (the attempt's own time: receivers
    refuse timestamps far from theirs)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    ident = message_id(delivery_id)
    return {
        "webhook-id": ident,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(ident, moment, body),
    }
