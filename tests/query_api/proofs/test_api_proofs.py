"""Proofs over the API: heads, keys, a booking's inclusion proof, consistency proofs."""

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from core.proofs import merkle, tree_heads
from core.settings import ROOT, get_settings
from tests.fixtures.api import Caller, assert_error
from tests.support.verify_runs import verify_report
from tools.proofcheck import leaf_of, load_keys

EMBEDDED = pytest.mark.parametrize("backend", ["embedded"], indirect=True)


def trusted(client: TestClient) -> dict[str, tree_heads.TrustedKey]:
    return load_keys([client.get("/api/audit/public-key").text])


def offline(*args: str) -> subprocess.CompletedProcess[str]:
    script = ROOT / "tools" / "verify_export.py"
    return subprocess.run([sys.executable, "-I", str(script), *args],  # noqa: S603 - our tool
                          capture_output=True, text=True, check=False, timeout=60)


def scheduled_head(client: TestClient) -> Any:
    """The signer's next head on its schedule (no request signs one)."""
    deadline = time.monotonic() + 30
    while (found := client.get("/api/audit/checkpoints/latest")).status_code == 404:
        assert time.monotonic() < deadline, "the signer signed no head"
        time.sleep(0.2)
    return found.json()


def proof_of(client: TestClient, booking_id: str, who: Caller) -> Any:
    """The booking's proof, asked again while the API says the tree has yet to take it in (as
    a client does: on a loaded machine the worker can take longer than one request waits)."""
    deadline = time.monotonic() + 60
    while True:
        response = client.get(f"/api/audit/proofs/bookings/{booking_id}", headers=who.headers)
        if (response.status_code != 409 or time.monotonic() > deadline
                or response.json()["code"] != "LEAF_NOT_YET_IN_TREE"):
            return response
        time.sleep(0.5)


def test_a_booking_proof_verifies_with_the_public_key_alone(
    client: TestClient, alice: Caller, bob: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any], tmp_path: Path,
) -> None:
    event = make_event()
    booking = book(alice, event["id"], 2).json()

    response = proof_of(client, booking["id"], alice)

    assert response.status_code == 200, response.text
    proof = response.json()
    assert proof["leaf"]["type"] == "SeatsBooked"
    assert proof["leaf"]["payload"]["booking_id"] == booking["id"]
    assert tree_heads.check(proof["head"], trusted(client)) is None
    assert merkle.verify_inclusion(
        proof["leaf_index"], proof["tree_size"], leaf_of(proof["leaf"]),
        [bytes.fromhex(p) for p in proof["audit_path"]], bytes.fromhex(proof["head"]["root_hash"]))
    (tmp_path / "proof.json").write_text(response.text, encoding="utf-8")
    (tmp_path / "keys.json").write_text(client.get("/api/audit/public-key").text, "utf-8")
    ok = offline("--proof", str(tmp_path / "proof.json"), "--key", str(tmp_path / "keys.json"))
    assert ok.returncode == 0 and "is leaf" in ok.stdout, ok.stdout
    edited = proof["leaf"] | {"payload": proof["leaf"]["payload"] | {"quantity": 1}}
    forged = proof | {"leaf": edited, "leaf_hash": leaf_of(edited).hex()}
    (tmp_path / "proof.json").write_text(json.dumps(forged), encoding="utf-8")
    bad = offline("--proof", str(tmp_path / "proof.json"), "--key", str(tmp_path / "keys.json"))
    assert bad.returncode == 1 and "does not lead to the signed root" in bad.stdout, bad.stdout

    assert_error(client.get(f"/api/audit/proofs/bookings/{booking['id']}", headers=bob.headers),
                 404, "BOOKING_NOT_FOUND")
    by_position = client.get("/api/audit/proofs/inclusion",
                             params={"position": proof["leaf"]["position"]},
                             headers=auditor.headers)
    assert by_position.status_code == 200 and by_position.json()["leaf"] == proof["leaf"]
    assert_error(client.get("/api/audit/proofs/inclusion", params={"position": 1},
                            headers=alice.headers), 403)


@EMBEDDED
def test_heads_are_signed_on_schedule_and_on_an_admins_request_and_each_extends_the_last(
    client: TestClient, admin: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event = make_event()
    first = scheduled_head(client)
    book(alice, event["id"], 1)
    assert_error(client.post("/api/audit/checkpoints", headers=alice.headers), 403)

    created = client.post("/api/audit/checkpoints", headers=admin.headers)

    assert created.status_code == 201
    head = created.json()
    assert head == client.get("/api/audit/checkpoints/latest").json()
    assert head["tree_size"] > first["tree_size"]
    assert tree_heads.check(head, trusted(client)) is None
    found = client.get("/api/audit/proofs/consistency", params={"first": first["tree_size"]})
    proof = found.json()
    assert proof["first_head"] == first and proof["second_head"] == head
    assert merkle.verify_consistency(
        first["tree_size"], head["tree_size"], bytes.fromhex(first["root_hash"]),
        bytes.fromhex(head["root_hash"]), [bytes.fromhex(p) for p in proof["proof"]])
    listed = client.get("/api/audit/checkpoints").json()["items"]
    assert [h["tree_size"] for h in listed] == [first["tree_size"], head["tree_size"]]
    lag = {p["name"]: p["lag_events"] for p in
           client.get("/api/projections", headers=admin.headers).json()}
    assert lag["merkle"] == 0
    assert_error(client.get("/api/audit/proofs/consistency",
                            params={"first": head["tree_size"] + 1}), 422, "PROOF_QUERY_INVALID")
    assert_error(client.get("/api/audit/proofs/inclusion", params={"position": 1,
                            "tree_size": 999}, headers=admin.headers), 404,
                 "CHECKPOINT_NOT_FOUND")
    assert_error(client.get("/api/audit/proofs/consistency", params={"first": "x"}), 422)


@EMBEDDED
def test_the_log_export_and_the_shipped_heads_verify_offline(
    client: TestClient, admin: Caller, alice: Caller, auditor: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any], tmp_path: Path,
    backend: Any,
) -> None:
    event = make_event()
    scheduled_head(client)
    book(alice, event["id"], 1)
    assert client.post("/api/audit/checkpoints", headers=admin.headers).status_code == 201
    log = client.get("/api/audit/export", headers=auditor.headers)
    stream = client.get("/api/audit/export", params={"event_id": event["id"]},
                        headers=auditor.headers)
    for name, response in (("log.jsonl", log), ("stream.jsonl", stream)):
        assert response.status_code == 200
        (tmp_path / name).write_text(response.text, encoding="utf-8")
    (tmp_path / "keys.json").write_text(client.get("/api/audit/public-key").text, "utf-8")
    shipped = Path(backend.database_url.removeprefix("sqlite:///")).parent / "checkpoints.jsonl"
    assert shipped.exists()

    whole = offline(str(tmp_path / "log.jsonl"), "--key", str(tmp_path / "keys.json"),
                    "--heads", str(shipped))
    one = offline(str(tmp_path / "stream.jsonl"), "--key", str(tmp_path / "keys.json"))

    assert whole.returncode == 0, whole.stdout
    assert "consecutive heads are consistent" in whole.stdout
    assert one.returncode == 0 and "2 of 2 events proved" in one.stdout, one.stdout
    report = verify_report(client, auditor.headers)
    assert report["ok"] and report["proofs"]["ok"] and report["proofs"]["heads_checked"] >= 2
    no_key = offline(str(tmp_path / "log.jsonl"))
    assert no_key.returncode == 1 and "no trusted public key" in no_key.stdout


@EMBEDDED
def test_a_position_with_no_event_is_404_at_once(
    client: TestClient, auditor: Caller, make_event: Callable[..., dict[str, Any]],
) -> None:
    make_event()
    for position in (999, 10**12):
        assert_error(client.get("/api/audit/proofs/inclusion", params={"position": position},
                                headers=auditor.headers), 404, "EVENT_NOT_FOUND")


@pytest.fixture
def signer_far_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No scheduled head during the test, and proofs that wait a twentieth of a second."""
    monkeypatch.setenv("CHECKPOINT_INTERVAL_SECONDS", "3600")
    monkeypatch.setenv("READ_WAIT_MAX_SECONDS", "0.05")


@EMBEDDED
def test_forty_proofs_asked_right_after_forty_bookings_add_no_head(
    signer_far_off: None, client: TestClient, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event = make_event(total_seats=40)
    bookings = [book(alice, event["id"], 1).json()["id"] for _ in range(40)]

    answers = [client.get(f"/api/audit/proofs/bookings/{b}", headers=alice.headers)
               for b in bookings]

    for answer in answers:
        assert_error(answer, 409, "PROOF_NOT_YET_SIGNED")
        assert int(answer.headers["Retry-After"]) >= 1
    assert client.get("/api/audit/checkpoints").json()["items"] == []
    assert_error(client.get("/api/audit/checkpoints/latest"), 404, "CHECKPOINT_NOT_FOUND")


@EMBEDDED
def test_proofs_waiting_for_a_head_hold_no_server_thread(
    signer_far_off: None, client: TestClient, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    booking = book(alice, make_event()["id"], 1).json()["id"]
    get_settings().read_wait_max_seconds = 1.5
    portal = client.portal
    assert portal is not None
    threads = []
    with ThreadPoolExecutor(30) as askers:
        answers = [askers.submit(client.get, f"/api/audit/proofs/bookings/{booking}",
                                 headers=alice.headers) for _ in range(30)]
        time.sleep(0.5)  # all of them waiting for a head now
        for _ in range(20):
            threads.append(portal.call(
                lambda: anyio.to_thread.current_default_thread_limiter().borrowed_tokens))
            time.sleep(0.02)
        statuses = [answer.result().status_code for answer in answers]
    assert statuses == [409] * 30
    # Each waiting proof looks again every tenth of a second, a thread hop of one short read:
    # most of the time few are in a thread (a wait holding one would keep all 30 there). On a
    # loaded machine the short reads take longer and bunch up now and then: the median counts.
    assert statistics.median(threads) < 10 and min(threads) < 30, threads
