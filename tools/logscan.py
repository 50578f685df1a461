"""One pass over a log export's lines (`verify_export.py`'s hot loop): each event's leaf hash
and chain link recomputed, positions, versions and leaf indexes checked, heads collected.
Standard library only (and `core.proofs.canonical`, itself standard library only).

Every line is parsed once, and the two canonical documents a line's hashes cover (its leaf:
sorted keys {chain, form, payload, position, recorded_at, stream, type, version}; its chain
link: the same without chain and position, form only when not 1) are written out key by key
around one encoding of the payload, by a JSON encoder made once (`json.dumps` makes one per
call). Fields of an unexpected type go through the generic encoder: the bytes are the same as
`json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` either way
(property test in tests/core/proofs/test_merkle_math.py).
"""

import json
from dataclasses import dataclass, field
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any

from core.proofs.canonical import GENESIS, canonical_text


def _reused_encoder() -> Any:
    """The C encoder `json.dumps` would make for canonical JSON, made once; None without it."""
    try:
        from json.encoder import (  # type: ignore[attr-defined]  # noqa: PLC0415 - CPython's
            c_make_encoder,
        )

        made = c_make_encoder(None, _refuse, encode_basestring, None, ":", ",", True, False, True)
        probe = {"b": [1, 2.5, None, True, "é"], "a": {"y": "x\n", "x": -1e400}}
        if "".join(made(probe, 0)) != canonical_text(probe):
            return None
        return made
    except (ImportError, TypeError):
        return None


def _refuse(o: object) -> None:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


_encode = _reused_encoder()


def encode(value: Any) -> str:
    """Canonical JSON of one value (sorted keys, no spaces, UTF-8 text)."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return str(value)
    if _encode is not None and type(value) is dict:
        return "".join(_encode(value, 0))
    return canonical_text(value)


def texts(record: dict[str, Any]) -> tuple[str, str]:
    """The leaf's canonical text (prefixed by the leaf hash's 0x00) and the chain link's
    document text. KeyError when a field is missing."""
    payload, form = encode(record["payload"]), record.get("form", 1)
    stream, kind = encode(record["stream"]), encode(record["type"])
    at, version = encode(record["recorded_at"]), encode(record["version"])
    tail = f'"payload":{payload},"recorded_at":{at},"stream":{stream},"type":{kind},'
    link = (f'{{"form":{encode(form)},' if form != 1 else "{") + tail + f'"version":{version}}}'
    leaf = (f'\x00{{"chain":{encode(record["chain"])},"form":{encode(record["form"])},'
            f'"payload":{payload},"position":{encode(record["position"])},"recorded_at":{at},'
            f'"stream":{stream},"type":{kind},"version":{version}}}')
    return leaf, link


@dataclass
class Scan:
    """What the pass found: the heads, the leaves in order, their positions, the problems."""

    count: int = 0  # event lines
    streams: int = 0
    heads: list[dict[str, Any]] = field(default_factory=list)
    leaves: list[bytes] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def scan(lines: list[str]) -> Scan | None:
    """Every event line checked in order; None if an event carries an inclusion proof (a
    stream's export, which `merkle_export` checks against its head instead)."""
    found = Scan()
    links: dict[str, tuple[int, str]] = {}
    index = 0
    for number, line in enumerate(lines, 1):
        if not line or line.isspace():
            continue
        e = _parse(line, number, found)
        if e is None:
            index += 1
        elif "checkpoint" in e:
            found.heads.append(e["checkpoint"])
        elif "inclusion" in e:
            return None
        else:
            _event(e, number, index, links, found)
            index += 1
    found.count, found.streams = index, len(links)
    return found


_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined] # json.loads's scanner


def _parse(line: str, number: int, found: Scan) -> dict[str, Any] | None:
    """The line's JSON object (None, a problem noted, if it is not one)."""
    try:
        doc, end = _scan_once(line, 0)
        if end != len(line) and not line[end:].isspace():
            doc = json.loads(line)  # trailing text: let it say what is wrong
    except (StopIteration, ValueError):
        try:
            doc = json.loads(line)
        except ValueError as exc:
            found.problems.append(f"line {number}: not JSON ({exc})")
            return None
    if type(doc) is not dict:
        found.problems.append(f"line {number}: not a stored event (a JSON {type(doc).__name__})")
        return None
    return doc


def _event(e: dict[str, Any], number: int, index: int, links: dict[str, tuple[int, str]],
           found: Scan) -> None:
    """One event line: its leaf, its link to its stream's previous one, its place in the log."""
    positions, problems = found.positions, found.problems
    try:
        stream, kind, at, chain = e["stream"], e["type"], e["recorded_at"], e["chain"]
        version, position, form, payload = e["version"], e["position"], e["form"], e["payload"]
        if (_encode is not None and type(stream) is str and type(kind) is str
                and type(at) is str and type(chain) is str and type(version) is int
                and type(position) is int and type(form) is int and type(payload) is dict):
            p = "".join(_encode(payload, 0))
            s, k, a = encode_basestring(stream), encode_basestring(kind), encode_basestring(at)
            tail = f'"payload":{p},"recorded_at":{a},"stream":{s},"type":{k},"version":{version}}}'
            link = (f'{{"form":{form},' if form != 1 else "{") + tail
            found.leaves.append(sha256(
                f'\x00{{"chain":{encode_basestring(chain)},"form":{form},"payload":{p},'
                f'"position":{position},"recorded_at":{a},"stream":{s},"type":{k},'
                f'"version":{version}}}'.encode()).digest())
        else:
            leaf, link = texts(e)
            found.leaves.append(sha256(leaf.encode()).digest())
            position, stream, version = int(position), str(stream), int(version)
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"line {number}: not a stored event ({exc!r})")
        return
    if positions and position <= positions[-1]:
        problems.append(f"{_at(number, position, stream, version)}: position after "
                        f"{positions[-1]}: events reordered or inserted with a forged position")
    if e.get("leaf_index", index) != index:
        problems.append(f"{_at(number, position, stream, version)}: exported as leaf "
                        f"{e['leaf_index']}, found as {index}")
    positions.append(position)
    last_version, last_chain = links.get(stream, (0, GENESIS))
    if version != last_version + 1:
        problems.append(f"{_at(number, position, stream, version)}: follows version "
                        f"{last_version} of its stream: events are missing or moved")
    if not e.get("redacted") and chain != sha256((last_chain + link).encode()).hexdigest():
        problems.append(f"{_at(number, position, stream, version)}: hash mismatch: the event "
                        "was altered")
    links[stream] = (version, str(chain))


def _at(number: int, position: int, stream: str, version: int) -> str:
    return f"line {number} (position {position}, stream {stream} version {version})"


def roots(leaves: list[bytes], sizes: list[int]) -> dict[int, bytes]:
    """The RFC 9162 root of the first `size` leaves, for each size (all at most len(leaves)):
    the complete levels hashed once, level by level, then each root from O(log n) of them."""
    levels = [leaves]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([sha256(b"\x01" + left + right).digest()
                       for left, right in zip(below[0::2], below[1::2], strict=False)])
    found: dict[int, bytes] = {}
    for size in sizes:
        if size == 0:
            found[size] = sha256(b"").digest()
            continue
        top: bytes | None = None  # the tree's right edge: its complete subtrees, smallest first
        for level in range(size.bit_length()):
            if size >> level & 1:
                h = levels[level][(size >> level) - 1]
                top = h if top is None else sha256(b"\x01" + h + top).digest()
        assert top is not None  # noqa: S101 - size > 0 has a bit set
        found[size] = top
    return found
