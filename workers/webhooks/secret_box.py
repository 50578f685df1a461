"""Endpoint secrets at rest: sealed, so that the database (or a backup of it) read alone does
not let anyone sign as the ledger.

The sender must sign with the secret itself (HMAC, as Standard Webhooks asks), so it is kept
encrypted, not hashed: Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under keys
derived from WEBHOOK_SECRET_KEYS. The first seals; every one opens, so a key rotates by putting
a new one first and resealing (`python -m ops.webhook_secrets reseal`). Unset, the key derives
from SECRET_KEY: enough for the embedded process, which both registers and sends; the API and
the workers of a distributed system need the same WEBHOOK_SECRET_KEYS, as workers have no
SECRET_KEY. A secret stored before sealing (`whsec_...` as given out) is read as it is, and
sealed by the next reseal (`ops.migrate` runs one).
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select, update

from core.db import session_scope
from core.settings import Settings
from workers.webhooks.signing import SECRET_PREFIX
from workers.webhooks.tables import endpoints

SEALED = "fernet:"  # then the Fernet token


class SecretUnreadable(Exception):
    """A stored secret no configured key opens, or no key is configured to open it."""


def new_key() -> str:
    """A fresh key for WEBHOOK_SECRET_KEYS: random, as long as the settings ask."""
    return secrets.token_urlsafe(32)


def _fernet(key: str) -> Fernet:
    """The Fernet key a configured key (or SECRET_KEY) stands for: its HMAC under this use's
    label, so one secret string never serves two uses as the same key."""
    derived = hmac.new(key.encode(), b"ledger webhook secrets v1", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _given(settings: Settings) -> list[str]:
    """The configured keys, the sealing one first."""
    given = settings.webhook_secret_keys or ([settings.secret_key] if settings.secret_key else [])
    if not given:
        raise SecretUnreadable("neither WEBHOOK_SECRET_KEYS nor SECRET_KEY is set in this "
                               "process: endpoint secrets cannot be sealed or opened")
    return given


def _keys(settings: Settings) -> MultiFernet:
    return MultiFernet([_fernet(key) for key in _given(settings)])


def seal(secret: str, settings: Settings) -> str:
    """What the database keeps of a secret: sealed under the first key."""
    return SEALED + _keys(settings).encrypt(secret.encode()).decode()


def unseal(stored: str, settings: Settings) -> str:
    """The secret a stored value holds (one stored before sealing: as it is)."""
    if stored.startswith(SECRET_PREFIX):
        return stored
    if not stored.startswith(SEALED):
        raise SecretUnreadable("the stored secret is neither sealed nor a whsec_ secret")
    try:
        return _keys(settings).decrypt(stored.removeprefix(SEALED).encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("no configured key (WEBHOOK_SECRET_KEYS; SECRET_KEY when unset) "
                               "opens this endpoint's secret: sealed under one since removed?"
                               ) from None


def reseal(settings: Settings) -> tuple[int, int]:
    """Seal every endpoint's secret under the first key: those stored plain before sealing
    and those sealed under an older key. (resealed, unreadable): an unreadable one is left
    as it is, and its deliveries fail until a key that opens it is configured again."""
    box, first = _keys(settings), MultiFernet([_fernet(_given(settings)[0])])
    done = unreadable = 0
    with session_scope() as session:
        rows = session.execute(select(endpoints.c.id, endpoints.c.secret)
                               .with_for_update()).all()
        for endpoint_id, stored in rows:
            try:
                secret = unseal(stored, settings)
            except SecretUnreadable:
                unreadable += 1
                continue
            if stored.startswith(SEALED) and _opens(first, stored):
                continue
            session.execute(update(endpoints).where(endpoints.c.id == endpoint_id)
                            .values(secret=SEALED + box.encrypt(secret.encode()).decode()))
            done += 1
    return done, unreadable


def _opens(box: MultiFernet, stored: str) -> bool:
    try:
        box.decrypt(stored.removeprefix(SEALED).encode())
    except InvalidToken:
        return False
    return True
