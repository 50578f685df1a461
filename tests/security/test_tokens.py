"""Bearer tokens: they expire, and nothing but an intact HS256 token of ours gets in."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from query_api.auth import credentials
from tests.fixtures.api import Caller, assert_error


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _me(client: TestClient, token: str) -> Any:
    return client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})


class _Later(datetime):
    """The clock PyJWT reads, moved forward."""

    shift = timedelta(0)

    @classmethod
    def now(cls, tz: Any = None) -> "_Later":
        real = datetime.now(tz)
        moved = real + cls.shift
        return cls.fromtimestamp(moved.timestamp(), tz)


def test_an_issued_token_expires_after_the_configured_minutes(
    client: TestClient, alice: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = alice.headers["Authorization"].split()[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == get_settings().access_token_minutes * 60
    assert _me(client, token).status_code == 200
    monkeypatch.setattr(jwt.api_jwt, "datetime", _Later)
    monkeypatch.setattr(credentials, "datetime", _Later)  # checks a token verified before
    _Later.shift = timedelta(minutes=get_settings().access_token_minutes) - timedelta(seconds=5)
    assert _me(client, token).status_code == 200  # still valid a moment before
    _Later.shift = timedelta(minutes=get_settings().access_token_minutes, seconds=1)
    assert_error(_me(client, token), 401, "TOKEN_EXPIRED")


def test_tampered_tokens_are_refused(client: TestClient, alice: Caller) -> None:
    token = alice.headers["Authorization"].split()[1]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    as_admin = _b64(claims | {"role": "admin"})
    someone_else = _b64(claims | {"sub": "00000000-0000-0000-0000-000000000001"})
    longer = _b64(claims | {"exp": claims["exp"] + 86400 * 365})
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for forged in (f"{header}.{as_admin}.{signature}", f"{header}.{someone_else}.{signature}",
                   f"{header}.{longer}.{signature}", f"{header}.{payload}.{flipped}",
                   f"{header}.{payload}.", f"{header}.{payload}", token + "x"):
        assert_error(_me(client, forged), 401, "INVALID_TOKEN")
    assert _me(client, token).status_code == 200  # the real one still works


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_unsigned_tokens_are_refused_however_spelled(
    client: TestClient, alice: Caller, alg: str
) -> None:
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": str(alice.id), "role": "admin", "iat": now, "exp": now + 3600}
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(claims)}."
    assert_error(_me(client, token), 401, "INVALID_TOKEN")


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_algorithms_are_refused_even_with_our_secret(
    client: TestClient, alice: Caller, alg: str
) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "customer", "iat": now,
              "exp": now + timedelta(hours=1)}
    token = jwt.encode(claims, get_settings().secret_key, algorithm=alg)
    assert_error(_me(client, token), 401, "INVALID_TOKEN")


def test_wrong_signature_and_expired_tokens_are_refused(client: TestClient, alice: Caller) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "customer", "iat": now,
              "exp": now + timedelta(hours=1)}
    wrong_key = jwt.encode(claims, "some-other-secret-of-enough-length!", algorithm="HS256")
    assert_error(_me(client, wrong_key), 401, "INVALID_TOKEN")
    expired = jwt.encode(claims | {"iat": now - timedelta(hours=2),
                                   "exp": now - timedelta(seconds=1)},
                         get_settings().secret_key, algorithm="HS256")
    assert_error(_me(client, expired), 401, "TOKEN_EXPIRED")


def test_tokens_only_travel_in_the_authorization_header(client: TestClient, alice: Caller) -> None:
    token = alice.headers["Authorization"].split()[1]
    assert_error(client.get("/api/users/me", params={"access_token": token}), 401)
    assert_error(client.get("/api/users/me", headers={"Cookie": f"access_token={token}"}), 401)
    assert_error(client.get("/api/users/me", headers={"Authorization": f"Basic {token}"}), 401)


def _signed(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, get_settings().secret_key, algorithm="HS256")


def test_a_correctly_signed_token_living_longer_than_allowed_is_refused(
    client: TestClient, alice: Caller
) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "customer", "ver": 0, "iat": now}
    ten_years = _signed(claims | {"exp": now + timedelta(days=3650)})
    assert_error(_me(client, ten_years), 401, "TOKEN_LIFETIME_EXCEEDED")
    minutes = get_settings().access_token_minutes
    a_minute_more = _signed(claims | {"exp": now + timedelta(minutes=minutes + 1)})
    assert_error(_me(client, a_minute_more), 401, "TOKEN_LIFETIME_EXCEEDED")
    # Issued long ago, so that it expires in an hour yet claims ten years: refused as well.
    backdated = _signed(claims | {"iat": now - timedelta(days=3650),
                                  "exp": now + timedelta(minutes=5)})
    assert_error(_me(client, backdated), 401, "TOKEN_LIFETIME_EXCEEDED")
    as_issued = _signed(claims | {"exp": now + timedelta(minutes=minutes)})
    assert _me(client, as_issued).status_code == 200


def test_a_token_issued_in_the_future_is_refused_beyond_a_small_leeway(
    client: TestClient, alice: Caller
) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "customer", "ver": 0}
    later = now + timedelta(hours=1)
    assert_error(_me(client, _signed(claims | {"iat": later, "exp": later + timedelta(
        minutes=30)})), 401, "INVALID_TOKEN")
    skewed = now + timedelta(seconds=credentials.CLOCK_LEEWAY_SECONDS - 10)  # another API's clock
    assert _me(client, _signed(claims | {"iat": skewed, "exp": skewed + timedelta(
        minutes=30)})).status_code == 200


def test_a_token_of_another_version_is_refused(client: TestClient, alice: Caller) -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "role": "customer", "iat": now,
              "exp": now + timedelta(minutes=30)}
    assert_error(_me(client, _signed(claims | {"ver": 1})), 401, "TOKEN_REVOKED")
    for malformed in ("0", 0.0, True, None):
        assert_error(_me(client, _signed(claims | {"ver": malformed})), 401, "INVALID_TOKEN")
    assert _me(client, _signed(claims)).status_code == 200  # issued before versions: version 0
