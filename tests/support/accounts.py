"""Customer accounts for the tests of a running stack whose subject is not signing up: written
straight to the users table, each with a token signed with the stack's secret. Signing dozens
up through the API would cost two password hashes each (argon2id at its recommended cost)."""

import uuid

import psycopg

from core.db import libpq_url, session_scope
from core.settings import Settings, get_settings
from query_api.auth.credentials import create_access_token, hash_password
from query_api.auth.user_accounts import add_user


def customers_in_table(database_url: str, secret_key: str, n: int,
                       domain: str = "example.test") -> list[tuple[str, dict[str, str]]]:
    """`n` customers (id, auth headers) in the database at `database_url` (as its owner)."""
    digest = hash_password("password-123")
    settings = Settings(secret_key=secret_key, environment="test")
    rows = [(uuid.uuid4(), f"c{i}-{uuid.uuid4().hex[:6]}@{domain}") for i in range(n)]
    plain = libpq_url(database_url)
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO users (id, email, name, phone, role, password_hash, created_at) "
            "VALUES (%s, %s, %s, NULL, 'customer', %s, now())",
            [(uid, email, f"Customer {i}", digest) for i, (uid, email) in enumerate(rows)],
        )
    return [(str(uid), bearer(settings, uid, "customer")) for uid, _ in rows]


PASSWORD = "password-123"  # the test accounts' password, as the suites sign up with


def accounts_in_store(people: dict[str, str]) -> dict[str, tuple[uuid.UUID, dict[str, str]]]:
    """An account per name -> role (email `<name>@example.com`, password PASSWORD) in the store
    of the app under test, through its own session; each with a token signed with its secret."""
    settings, digest = get_settings(), hash_password(PASSWORD)
    with session_scope() as session:
        made = {name: add_user(session, email=f"{name.lower()}@example.com", password_hash=digest,
                               name=name, phone=None, role=role).id
                for name, role in people.items()}
    return {name: (uid, bearer(settings, uid, people[name])) for name, uid in made.items()}


def bearer(settings: Settings, user_id: uuid.UUID, role: str) -> dict[str, str]:
    """The headers of a caller signed in as `user_id`, as a sign-in's token would give them."""
    return {"Authorization": f"Bearer {create_access_token(settings, user_id, role)}"}
