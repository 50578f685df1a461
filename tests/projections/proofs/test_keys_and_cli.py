"""Signing keys (where they live, rotation, the wrong key) and the `ledger` proof commands."""

import base64
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from bench.scenario import scenario
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.proofs import tree_heads
from core.settings import ROOT, Settings
from ops.cli import main
from projections.proofs import checkpoints, paths, signing_keys, tree
from projections.proofs.tables import MerkleNode
from tests.conftest import configure
from tools import verify_export


@pytest.fixture
def ledger(sqlite_settings: Settings) -> Iterator[Ledger]:
    app = Ledger(sqlite_settings)
    yield app
    app.close()


def secret(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return base64.b64encode(raw).decode()


def test_the_embedded_key_is_made_once_beside_the_database_mode_0600_never_in_it(
    ledger: Ledger, sqlite_settings: Settings
) -> None:
    scenario(ledger)
    tree.advance(ledger.eventlog)
    head = checkpoints.sign(sqlite_settings)
    path = signing_keys.key_path(sqlite_settings)
    assert head is not None

    assert path is not None and path.parent == Path(sqlite_settings.database_url[10:]).parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = checkpoints.sign(sqlite_settings, force=True)  # nothing new: the same head
    assert again is not None and again["key_id"] == head["key_id"]
    with read_scope() as session:
        stored = checkpoints.listed_keys(session)
    assert [k["key_id"] for k in stored] == [head["key_id"]]
    assert "PRIVATE" not in stored[0]["public_key"]
    shipped = checkpoints.shipped(sqlite_settings)
    assert [h["timestamp"] for h in shipped][-2:] != [] and shipped[-1]["key_id"] == head["key_id"]


def public(key: Ed25519PrivateKey) -> str:
    return signing_keys.public_text(key.public_key())


def test_rotated_keys_keep_old_heads_verifiable_and_refuse_later_ones(
    ledger: Ledger, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, stranger = (Ed25519PrivateKey.generate() for _ in range(3))
    url = sqlite_settings.database_url
    scenario(ledger)
    tree.advance(ledger.eventlog)
    first = checkpoints.sign(configure(monkeypatch, DATABASE_URL=url, CHECKPOINT_KEY=secret(old)))
    scenario(ledger)
    tree.advance(ledger.eventlog)
    second = checkpoints.sign(configure(monkeypatch, DATABASE_URL=url,
                                        CHECKPOINT_KEY=secret(new)))
    assert first is not None and second is not None
    # Trusted: the signer's own key, and the old one pinned with the time it was rotated out.
    now = configure(monkeypatch, DATABASE_URL=url, CHECKPOINT_KEY=secret(new),
                    CHECKPOINT_PUBLIC_KEYS=json.dumps([f"{public(old)}@{second['timestamp']}",
                                                       public(new)]))
    found = signing_keys.published(now)
    keys = signing_keys.trusted(now)

    assert [k["key_id"] for k in found] == [second["key_id"], first["key_id"]]
    assert found[0]["retired_at"] is None and found[1]["retired_at"] == second["timestamp"]
    assert signing_keys.current_key_id(now) == second["key_id"]
    assert tree_heads.check(first, keys) is None and tree_heads.check(second, keys) is None
    late = tree_heads.sign(old, second["tree_size"], second["root_hash"], tree_heads.now())
    assert "rotated out" in str(tree_heads.check(late, keys))
    forged = tree_heads.sign(stranger, second["tree_size"], second["root_hash"])
    assert "not one of the trusted keys" in str(tree_heads.check(forged, keys))
    altered = second | {"tree_size": second["tree_size"] + 1}
    assert "does not verify" in str(tree_heads.check(altered, keys))


def test_a_pinned_key_that_is_no_key_stops_the_api_and_production_needs_one(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from query_api.service.app import check_trust  # noqa: PLC0415 - the API's start-up check

    url = sqlite_settings.database_url
    with pytest.raises(ValueError, match="CHECKPOINT_PUBLIC_KEYS"):
        check_trust(configure(monkeypatch, DATABASE_URL=url,
                              CHECKPOINT_PUBLIC_KEYS='["not-a-key"]'))
    production = Settings(environment="production", database_url="postgresql+psycopg://x@h/db",
                          celery_broker_url="redis://h:6379/0", secret_key="s" * 40,
                          checkpoint_public_keys=[])
    with pytest.raises(RuntimeError, match="CHECKPOINT_PUBLIC_KEYS is empty"):
        check_trust(production)
    check_trust(production.model_copy(update={
        "checkpoint_public_keys": [public(Ed25519PrivateKey.generate())]}))


def test_a_tree_grown_in_batches_equals_one_grown_at_once(ledger: Ledger) -> None:
    for _ in range(3):
        scenario(ledger)
    tree.rebuild(ledger.eventlog)
    with read_scope() as session:
        size = tree.size(session)
        whole = [bytes(h) for h in session.execute(select(MerkleNode.hash).order_by(
            MerkleNode.level, MerkleNode.index)).scalars()]
        root = paths.root(session, size)
    with session_scope() as session:  # drop it, then grow it 7 leaves at a time
        session.execute(MerkleNode.__table__.delete())  # type: ignore[attr-defined]
    tree.rebuild(ledger.eventlog)
    tree.advance(ledger.eventlog, batch_size=7)
    with read_scope() as session:
        again = [bytes(h) for h in session.execute(select(MerkleNode.hash).order_by(
            MerkleNode.level, MerkleNode.index)).scalars()]
        assert paths.root(session, size) == root
    assert again == whole and size == 51  # 3 x 17: 10 of the event, 7 of its bookings' own


def test_ledger_checkpoint_and_export_proofs_verify_offline(
    ledger: Ledger, sqlite_settings: Settings, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    event_id = scenario(ledger).event_id
    assert main(["checkpoint"]) == 0
    head = json.loads(capsys.readouterr().out)
    export, stream = tmp_path / "log.jsonl", tmp_path / "stream.jsonl"
    public = tmp_path / "key.pem"
    public.write_text(tree_heads.public_pem(signing_keys.signing_key(sqlite_settings).public_key()))

    assert main(["export-proofs", "-o", str(export)]) == 0
    assert main(["export-proofs", str(event_id), "-o", str(stream)]) == 0

    assert verify_export.main([str(export), "--key", str(public)]) == 0
    assert verify_export.main([str(stream), "--key", str(public)]) == 0
    out = capsys.readouterr().out
    assert f"first {head['tree_size']} events give the signed roots" in out
    assert "10 of 10 events proved" in out
    assert main(["verify"]) == 0
    assert "signed tree heads" in capsys.readouterr().out
    assert main(["tree-rebuild"]) == 0


def test_beat_signs_heads_at_the_interval_and_grows_the_tree(sqlite_settings: Settings) -> None:
    from workers.celery_app import create_app  # noqa: PLC0415 - an app for these settings

    schedule = create_app(sqlite_settings.model_copy(
        update={"checkpoint_interval_seconds": 60.0})).conf.beat_schedule
    assert schedule["sign-checkpoint"]["task"] == "workers.proofs.sign_checkpoint"
    assert schedule["sign-checkpoint"]["schedule"] == 60.0
    assert schedule["advance-all-projections"]["task"] == "workers.tasks.advance_all_projections"
    from projections import catch_up  # noqa: PLC0415 - what beat's catch-up fans out over

    assert "merkle" in catch_up.ALL


def test_the_signer_signs_only_when_the_tree_grew_unless_asked(
    ledger: Ledger, sqlite_settings: Settings
) -> None:
    assert checkpoints.sign(sqlite_settings) is None  # nothing to sign
    scenario(ledger)
    tree.advance(ledger.eventlog)
    first = checkpoints.sign(sqlite_settings)
    assert first is not None  # the first head
    assert checkpoints.sign(sqlite_settings) is None  # nothing new
    assert checkpoints.sign(sqlite_settings, force=True) == first  # asked: the one covering it
    scenario(ledger)
    tree.advance(ledger.eventlog)
    second = checkpoints.sign(sqlite_settings)
    assert second is not None and second["tree_size"] > first["tree_size"]


def test_a_worker_with_no_signing_key_refuses_to_start_with_the_reason(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
           "ENVIRONMENT": "production", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
           "CELERY_NAMESPACE": f"nokey{tmp_path.name}",
           "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:5432/nothing"}
    started = subprocess.run(  # noqa: S603 - our own worker
        [str(Path(sys.executable).parent / "celery"), "-A", "workers.celery_app", "worker",
         "--pool", "solo", "--without-gossip", "--without-mingle"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert started.returncode != 0
    assert "refusing to start the worker: no key to sign tree heads with" in started.stderr


def test_the_heads_file_lies_beside_the_key_or_in_data_never_in_a_shared_temp_folder(
    tmp_path: Path,
) -> None:
    deployed = Settings(environment="production", database_url="postgresql+psycopg://x@h/ledger",
                        secret_key="s" * 40, checkpoint_key=secret(Ed25519PrivateKey.generate()),
                        checkpoint_key_file="", checkpoint_log_file="")
    assert signing_keys.log_path(deployed) == ROOT / "data" / "checkpoints.jsonl"
    in_file = deployed.model_copy(update={"checkpoint_key": "",
                                          "checkpoint_key_file": str(tmp_path / "k.pem")})
    assert signing_keys.log_path(in_file) == tmp_path / "checkpoints.jsonl"
