"""Verify the ledger's proofs locally, beside event_sdk (hand-written; the SDK is generated).

Takes what `ProofsApi` answers (its models or their dicts): a booking's inclusion proof, a
consistency proof between two heads, and `get_public_key()` to trust. RFC 9162 over SHA-256,
Ed25519 signatures (`cryptography`). Each check raises `ProofError` saying what is wrong.
"""

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

PREFIX = b"booking-ledger tree head v1\n"
LEAF_KEYS = ("stream", "version", "type", "recorded_at", "position", "form", "payload", "chain")


class ProofError(ValueError):
    """A proof or a head that does not hold."""


def _plain(found: Any) -> Any:
    return found.to_dict() if hasattr(found, "to_dict") else found


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(leaf: dict[str, Any]) -> bytes:
    """SHA-256(0x00 || canonical JSON of the stored event as the audit log shows it)."""
    doc = {key: leaf[key] for key in LEAF_KEYS}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(b"\x00" + text.encode()).digest()


def check_head(head: Any, public_keys: Any) -> None:
    """The head is signed by a trusted key, while that key was in use."""
    head, keys = _plain(head), _plain(public_keys)
    key = next((k for k in keys["keys"] if k["key_id"] == head["key_id"]), None)
    if key is None:
        raise ProofError(f"head signed with unknown key {head['key_id']}")
    if key.get("retired_at") and head["timestamp"] > key["retired_at"]:
        raise ProofError(f"head signed with key {head['key_id']} after it was rotated out")
    message = PREFIX + f"{head['tree_size']}\n{head['root_hash']}\n{head['timestamp']}\n".encode()
    public = load_pem_public_key(key["public_key"].encode())
    if not isinstance(public, Ed25519PublicKey):
        raise ProofError(f"key {head['key_id']} is not an Ed25519 key")
    try:
        public.verify(base64.b64decode(head["signature"]), message)
    except InvalidSignature:
        raise ProofError("the head's signature does not verify") from None


def verify_inclusion(proof: Any, public_keys: Any) -> None:
    """The booking's event is leaf `leaf_index` of the signed head (RFC 9162 2.1.3.2)."""
    proof = _plain(proof)
    check_head(proof["head"], public_keys)
    fn, sn, r = proof["leaf_index"], proof["tree_size"] - 1, leaf_hash(proof["leaf"])
    for p in map(bytes.fromhex, proof["audit_path"]):
        if sn == 0:
            raise ProofError("the inclusion path is too long")
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r.hex() != proof["head"]["root_hash"]:
        raise ProofError("the event is not in the signed tree as shown")


def verify_consistency(proof: Any, public_keys: Any) -> None:
    """The second head's tree only grew from the first's (RFC 9162 2.1.4.2)."""
    proof = _plain(proof)
    first, second = proof["first_head"], proof["second_head"]
    if not (first and second):
        raise ProofError("both heads must be signed")
    check_head(first, public_keys)
    check_head(second, public_keys)
    m, n, path = proof["first"], proof["second"], [bytes.fromhex(p) for p in proof["proof"]]
    old, new = bytes.fromhex(first["root_hash"]), bytes.fromhex(second["root_hash"])
    if m == n:
        if path or old != new:
            raise ProofError("two heads of one size with different roots: a fork")
        return
    if m & (m - 1) == 0:
        path.insert(0, old)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    if not path:
        raise ProofError("empty consistency proof")
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != old or sr != new:
        raise ProofError(f"the head of size {n} does not extend the head of size {m}")
