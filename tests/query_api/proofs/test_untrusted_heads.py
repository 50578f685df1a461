"""A head written straight into the database with a key the configuration does not trust is
never served: the latest head and every proof use trusted heads only, and verify reports it."""

from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from core.proofs import tree_heads
from core.settings import get_settings
from tests.fixtures.api import Caller
from tests.query_api.proofs.test_api_proofs import proof_of, scheduled_head, trusted
from tests.stack import as_owner
from tests.support.verify_runs import verify_report

# Far past the tree: a proof in it would need nodes the tree does not have.
AHEAD = 1000


def insert_head(head: dict[str, Any]) -> None:
    """As the tables' owner, straight into the database (no signer involved)."""
    url = get_settings().database_url
    engine = create_engine(url if url.startswith("sqlite") else as_owner(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO tree_heads (tree_size, root_hash, timestamp, key_id, "
                              "signature) VALUES (:tree_size, :root_hash, :timestamp, :key_id, "
                              ":signature)"), head)
    finally:
        engine.dispose()


def test_a_head_signed_by_an_untrusted_key_is_never_served(
    client: TestClient, alice: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event = make_event()
    first = book(alice, event["id"], 1).json()
    assert proof_of(client, first["id"], alice).status_code == 200
    honest = scheduled_head(client)
    forged = tree_heads.sign(Ed25519PrivateKey.generate(), int(honest["tree_size"]) + AHEAD,
                             honest["root_hash"])
    insert_head(forged)

    latest = client.get("/api/audit/checkpoints/latest")
    assert latest.status_code == 200
    assert latest.json()["key_id"] != forged["key_id"]
    assert tree_heads.check(latest.json(), trusted(client)) is None
    listed = client.get("/api/audit/checkpoints").json()["items"]
    assert forged["key_id"] not in {h["key_id"] for h in listed}

    second = book(alice, event["id"], 1).json()  # covered by the signer's next head only
    for booking in (first, second):
        proof = proof_of(client, booking["id"], alice)
        assert proof.status_code == 200, proof.text
        assert tree_heads.check(proof.json()["head"], trusted(client)) is None

    report = verify_report(client, auditor.headers)
    problems = [p["message"] for p in report["proofs"]["problems"]]
    assert any(forged["key_id"] in p and "not one of the trusted keys" in p for p in problems), \
        report["proofs"]
