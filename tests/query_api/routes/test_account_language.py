"""The account's language: chosen at sign-up or later, read back with the account, one of the
languages offered (anything else 422 UNSUPPORTED_LANGUAGE on the body's field). On both
backends."""

from fastapi.testclient import TestClient

from core.languages import LANGUAGES
from tests.fixtures.api import Caller, assert_error, login


def test_an_account_reads_english_until_its_owner_chooses_another_language(
    client: TestClient, alice: Caller,
) -> None:
    assert client.get("/api/users/me", headers=alice.headers).json()["language"] == "en"

    chosen = client.put("/api/users/me/language", json={"language": "de"}, headers=alice.headers)

    assert chosen.status_code == 200, chosen.text
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert chosen.json() == me and me["language"] == "de"
    back = client.put("/api/users/me/language", json={"language": "pl"}, headers=alice.headers)
    assert back.json()["language"] == "pl"
    assert client.get("/api/users/me", headers=alice.headers).json()["language"] == "pl"


def test_a_language_not_offered_is_refused_on_its_field(client: TestClient, alice: Caller) -> None:
    for asked in ("fr", "DE", "de-DE", ""):
        body = assert_error(client.put("/api/users/me/language", json={"language": asked},
                                       headers=alice.headers), 422, "UNSUPPORTED_LANGUAGE")
        assert body["detail"][0]["loc"] == ["body", "language"]
    assert client.get("/api/users/me", headers=alice.headers).json()["language"] == "en"


def test_only_a_signed_in_caller_chooses_and_only_their_own(
    client: TestClient, alice: Caller, bob: Caller,
) -> None:
    assert_error(client.put("/api/users/me/language", json={"language": "de"}), 401)
    client.put("/api/users/me/language", json={"language": "de"}, headers=alice.headers)
    assert client.get("/api/users/me", headers=bob.headers).json()["language"] == "en"


def test_sign_up_keeps_the_language_asked_and_refuses_one_not_offered(
    client: TestClient,
) -> None:
    for language in LANGUAGES:
        email = f"lang-{language}@example.com"
        made = client.post("/api/auth/signup", json={
            "email": email, "password": "password-123", "name": "L", "language": language})
        assert made.status_code == 201, made.text
        assert made.json()["language"] == language
        me = client.get("/api/users/me", headers=login(client, email, "password-123").headers)
        assert me.json()["language"] == language

    refused = assert_error(client.post("/api/auth/signup", json={
        "email": "lang-fr@example.com", "password": "password-123", "name": "L",
        "language": "fr"}), 422, "UNSUPPORTED_LANGUAGE")
    assert refused["detail"][0]["loc"] == ["body", "language"]
    # Nothing was made: the address is still free.
    assert client.post("/api/auth/signup", json={
        "email": "lang-fr@example.com", "password": "password-123", "name": "L"},
    ).status_code == 201
