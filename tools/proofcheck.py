"""The Merkle checks of `verify_export.py`: signed heads, roots recomputed from an export,
inclusion and consistency proofs. Standard library plus `cryptography` (core.proofs.tree_heads)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.proofs import merkle, tree_heads
from core.proofs.canonical import canonical, canonical_text
from core.proofs.tree_heads import same
from tools import logscan

LEAF_KEYS = ("stream", "version", "type", "recorded_at", "position", "form", "payload", "chain")


def leaf_of(record: dict[str, Any]) -> bytes:
    """The leaf hash of an export line: SHA-256(0x00 || canonical JSON of its leaf keys)."""
    return merkle.leaf_hash(canonical({key: record[key] for key in LEAF_KEYS}))


_value = canonical_text


def leaf_and_link(record: dict[str, Any]) -> tuple[bytes, str]:
    """`leaf_of(record)` and the chain link's document text (`chainfile.chain_link`), with
    the payload encoded once: the canonical JSON of both, written out key by key in order."""
    payload = _value(record["payload"])
    stream, kind, at = (_value(record[k]) for k in ("stream", "type", "recorded_at"))
    version, form = _value(record["version"]), record.get("form", 1)
    tail = f'"payload":{payload},"recorded_at":{at},"stream":{stream},"type":{kind},'
    link = "{" + (f'"form":{_value(form)},' if form != 1 else "") + tail + f'"version":{version}}}'
    leaf = (f'{{"chain":{_value(record["chain"])},"form":{_value(record["form"])},'
            f'"payload":{payload},"position":{_value(record["position"])},"recorded_at":{at},'
            f'"stream":{stream},"type":{kind},"version":{version}}}')
    return merkle.leaf_hash(leaf.encode()), link


def load_keys(texts: Iterable[str]) -> dict[str, tree_heads.TrustedKey]:
    """Trusted keys from PEM files or the JSON of GET /api/audit/public-key (with retirements)."""
    found: dict[str, tree_heads.TrustedKey] = {}
    for text in texts:
        if text.lstrip().startswith("{"):
            for k in json.loads(text)["keys"]:
                found[k["key_id"]] = tree_heads.TrustedKey(tree_heads.load_public(k["public_key"]),
                                                      k.get("retired_at"))
        else:
            public = tree_heads.load_public(text)
            found[tree_heads.key_id(public)] = tree_heads.TrustedKey(public)
    return found


def load_heads(text: str) -> list[dict[str, Any]]:
    """Heads from a JSON-lines file (the shipped heads, an export's checkpoint lines) or one
    JSON document (a head, a page of heads, a proof carrying its head)."""
    text = text.strip()
    if not text:
        return []
    try:
        docs = [json.loads(text)]
    except ValueError:
        docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    found: list[dict[str, Any]] = []
    for doc in docs:
        if "items" in doc:
            found += doc["items"]
        elif "checkpoint" in doc:
            found.append(doc["checkpoint"])
        elif "signature" in doc:
            found.append(doc)
        else:
            found += [doc[k] for k in ("head", "first_head", "second_head") if doc.get(k)]
    return found


@dataclass
class Findings:
    """What the Merkle checks found: problems, and what held."""

    problems: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def check_signatures(found: list[dict[str, Any]], keys: dict[str, tree_heads.TrustedKey],
                     out: Findings) -> list[dict[str, Any]]:
    """The heads whose signature holds; each other one is a problem."""
    good = []
    for head in found:
        problem = tree_heads.check(head, keys)
        if problem is None:
            good.append(head)
        else:
            out.problems.append(f"head of size {head.get('tree_size')} signed "
                                f"{head.get('timestamp')}: {problem}")
    if good:
        out.held.append(f"{len(good)} signed heads verify")
    return good


def check_forks(good: list[dict[str, Any]], out: Findings) -> None:
    """Two valid heads of one size with different roots: the key holder signed a fork."""
    roots: dict[int, str] = {}
    for head in good:
        size, root = int(head["tree_size"]), str(head["root_hash"])
        if roots.setdefault(size, root) != root:
            out.problems.append(f"two signed heads of size {size} have different roots "
                                f"({roots[size][:16]}..., {root[:16]}...): the log forked")


def check_log(leaves: list[bytes], positions: list[int], good: list[dict[str, Any]],
              out: Findings) -> None:
    """Every head's root recomputed from the export's leaves; the first one that differs
    narrows where, between it and the last head that still holds."""
    ordered = sorted(good, key=lambda h: int(h["tree_size"]))
    found = logscan.roots(leaves, [int(h["tree_size"]) for h in ordered
                                   if 0 <= int(h["tree_size"]) <= len(leaves)])
    held_size = 0
    for head in ordered:
        size = int(head["tree_size"])
        what = f"head of size {size} signed {head['timestamp']}"
        if size > len(leaves):
            out.problems.append(f"{what} covers {size} events, the export has {len(leaves)}: "
                                f"{size - len(leaves)} signed events are missing (deleted or "
                                f"cut off after position {positions[-1] if positions else 0})")
            continue
        root = found.get(size, b"")  # a negative size: no root
        if root.hex() == head["root_hash"]:
            held_size = max(held_size, size)
            continue
        span = f"leaves {held_size}..{size - 1}"
        if positions:
            span += f" (positions {positions[held_size]}..{positions[size - 1]})"
        out.problems.append(f"{what}: the export's first {size} events give root "
                            f"{root.hex()[:16]}..., not the signed {head['root_hash'][:16]}...: "
                            f"an event among {span} was edited, deleted, inserted or moved")
    if held_size:
        out.held.append(f"the export's first {held_size} events give the signed roots; "
                        "consecutive heads are consistent")


def check_inclusion(number: int, record: dict[str, Any], by_size: dict[int, dict[str, Any]],
                    out: Findings) -> bool:
    """One stream line's inclusion proof against the signed head of its tree size."""
    size, index = int(record["tree_size"]), int(record["leaf_index"])
    head = by_size.get(size)
    at = f"line {number} (version {record.get('version')})"
    if head is None:
        out.problems.append(f"{at}: no valid signed head of size {size} to prove it against")
        return False
    path = [bytes.fromhex(p) for p in record["inclusion"]]
    if not merkle.verify_inclusion(index, size, leaf_of(record), path,
                                   bytes.fromhex(str(head["root_hash"]))):
        out.problems.append(f"{at}: not in the signed head of size {size} as exported: the "
                            "event was altered (or its proof was)")
        return False
    return True


def check_proof(doc: dict[str, Any], keys: dict[str, tree_heads.TrustedKey], out: Findings) -> None:
    """An inclusion or consistency proof as the API and the UI give it, against its head."""
    good = check_signatures(load_heads(json.dumps(doc)), keys, out)
    if "audit_path" in doc:
        head = doc["head"]
        if not any(same(head, g) for g in good):
            return
        path = [bytes.fromhex(p) for p in doc["audit_path"]]
        leaf = leaf_of(doc["leaf"])
        if leaf.hex() != doc.get("leaf_hash", leaf.hex()):
            out.problems.append("the leaf hash does not match the event it names")
        elif merkle.verify_inclusion(int(doc["leaf_index"]), int(doc["tree_size"]), leaf, path,
                                     bytes.fromhex(str(head["root_hash"]))):
            out.held.append(f"event at position {doc['leaf']['position']} is leaf "
                            f"{doc['leaf_index']} of the signed head of size {doc['tree_size']}")
        else:
            out.problems.append("the inclusion proof does not lead to the signed root")
        return
    first, second = doc.get("first_head"), doc.get("second_head")
    if not (first and second):
        out.problems.append("a consistency proof needs both heads signed")
        return
    if not all(any(same(h, g) for g in good) for h in (first, second)):
        return
    if merkle.verify_consistency(int(doc["first"]), int(doc["second"]),
                                 bytes.fromhex(first["root_hash"]),
                                 bytes.fromhex(second["root_hash"]),
                                 [bytes.fromhex(p) for p in doc["proof"]]):
        out.held.append(f"the head of size {doc['second']} extends the head of size "
                        f"{doc['first']}")
    else:
        out.problems.append(f"the heads of sizes {doc['first']} and {doc['second']} are not "
                            "consistent: the log was rewritten between them")
