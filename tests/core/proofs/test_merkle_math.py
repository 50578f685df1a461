"""RFC 9162 math (core.proofs.merkle): against the RFC's recursive definitions, and properties."""

import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.proofs import merkle
from core.proofs.canonical import canonical
from tools import logscan
from tools.proofcheck import LEAF_KEYS, leaf_and_link, leaf_of
from tools.verify_export import chain_link


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(str(i).encode()) for i in range(n)]


def mth(d: list[bytes]) -> bytes:
    """MTH of RFC 9162 section 2.1.1, written as the RFC does."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = merkle.split(len(d))
    return merkle.node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = merkle.split(len(d))
    return [*path(m, d[:k]), mth(d[k:])] if m < k else [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], whole: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if whole else [mth(d)]
    k = merkle.split(n)
    if m <= k:
        return [*subproof(m, d[:k], whole), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def test_root_inclusion_and_consistency_match_the_rfc_recursion() -> None:
    for n in range(1, 40):
        d = leaves(n)
        nodes = merkle.memory_nodes(d)
        assert merkle.root(nodes, n) == mth(d)
        for m in range(n):
            assert merkle.inclusion_path(nodes, m, n) == path(m, d)
        for m in range(1, n + 1):
            assert merkle.consistency_path(nodes, m, n) == subproof(m, d, True)


def test_the_frontier_grows_the_same_root_and_nodes() -> None:
    d = leaves(77)
    frontier = merkle.Frontier()
    made = {}
    for h in d:
        for level, index, node in frontier.append(h):
            made[(level, index)] = node
        assert frontier.root() == mth(d[: frontier.size])
    nodes = merkle.memory_nodes(d)
    assert all(nodes(level, index) == h for (level, index), h in made.items())
    resumed = merkle.Frontier(50, [(lv, made[(lv, i)]) for lv, i in merkle.frontier_nodes(50)])
    for h in d[50:]:
        resumed.append(h)
    assert resumed.root() == mth(d)


sizes = st.integers(min_value=1, max_value=300)


def flip(h: bytes, bit: int) -> bytes:
    """`h` with one bit flipped."""
    return bytes(b ^ (1 << bit % 8) if j == bit // 8 else b for j, b in enumerate(h))


@settings(max_examples=60, deadline=None)
@given(sizes, st.data())
def test_every_inclusion_proof_verifies_and_a_flipped_bit_fails(
    n: int, data: st.DataObject
) -> None:
    d = leaves(n)
    nodes = merkle.memory_nodes(d)
    top = merkle.root(nodes, n)
    m = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_path(nodes, m, n)
    assert merkle.verify_inclusion(m, n, d[m], proof, top)
    flips = [("leaf", -1)] + [("path", i) for i in range(len(proof))] + [("root", -1)]
    where, i = data.draw(st.sampled_from(flips))
    bit = data.draw(st.integers(0, 255))
    leaf, bad, want = d[m], list(proof), top
    if where == "leaf":
        leaf = flip(leaf, bit)
    elif where == "path":
        bad[i] = flip(bad[i], bit)
    else:
        want = flip(want, bit)
    assert not merkle.verify_inclusion(m, n, leaf, bad, want)


@settings(max_examples=60, deadline=None)
@given(sizes, st.data())
def test_every_consistency_proof_verifies_and_a_flipped_bit_fails(
    n: int, data: st.DataObject
) -> None:
    d = leaves(n)
    nodes = merkle.memory_nodes(d)
    m = data.draw(st.integers(1, n))
    old, new = merkle.root(nodes, m), merkle.root(nodes, n)
    proof = merkle.consistency_path(nodes, m, n)
    assert merkle.verify_consistency(m, n, old, new, proof)
    if m == n:
        return
    flips = [("old", -1), ("new", -1)] + [("proof", i) for i in range(len(proof))]
    where, i = data.draw(st.sampled_from(flips))
    bit = data.draw(st.integers(0, 255))
    bad = list(proof)
    if where == "old":
        old = flip(old, bit)
    elif where == "new":
        new = flip(new, bit)
    else:
        bad[i] = flip(bad[i], bit)
    assert not merkle.verify_consistency(m, n, old, new, bad)


def test_a_proof_against_the_wrong_size_fails() -> None:
    d = leaves(10)
    nodes = merkle.memory_nodes(d)
    proof = merkle.inclusion_path(nodes, 9, 10)
    assert not merkle.verify_inclusion(9, 11, d[9], proof, merkle.root(nodes, 10))
    assert not merkle.verify_consistency(4, 10, merkle.root(nodes, 4), merkle.root(nodes, 10),
                                         merkle.consistency_path(nodes, 5, 10))


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({
    "stream": st.text(), "version": st.integers(1, 10**6), "type": st.text(),
    "recorded_at": st.text(), "position": st.integers(1, 10**12), "form": st.sampled_from([1, 2]),
    "chain": st.none() | st.text(), "payload": st.dictionaries(st.text(), st.none() | st.text()
                                                               | st.integers() | st.booleans()
                                                               | st.lists(st.text()))}))
def test_the_offline_tools_one_pass_texts_are_the_canonical_ones(record: dict[str, Any]) -> None:
    leaf, link = leaf_and_link(record)
    assert leaf == leaf_of(record)
    assert hashlib.sha256(("0" * 64 + link).encode()).hexdigest() == chain_link("0" * 64, record)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({
    "stream": st.text(), "type": st.text(), "recorded_at": st.text(),
    "position": st.integers(1, 10**12), "form": st.sampled_from([1, 2]),
    "payload": st.dictionaries(st.text(), JSON_VALUES)}), st.text(alphabet="\u2028\u0085\x1c é"))
def test_the_offline_tools_log_scan_hashes_the_canonical_bytes(record: dict[str, Any],
                                                               odd: str) -> None:
    """An export line as `ledger export-proofs` writes it: the scan's leaf is the reference
    leaf and its chain link holds; line separators other than \\n inside a line are kept."""
    record = record | {"version": 1, "stream": record["stream"] + odd}
    record["chain"] = chain_link("0" * 64, record)
    line = json.dumps(record | {"leaf_index": 0}, ensure_ascii=False)
    found = logscan.scan(["", line, " "])
    assert found is not None
    assert found.problems == []
    assert found.leaves == [leaf_of(record)]
    leaf, link = logscan.texts(record)
    assert leaf.encode() == b"\x00" + canonical({k: record[k] for k in LEAF_KEYS})
    assert hashlib.sha256(("0" * 64 + link).encode()).hexdigest() == record["chain"]
    text = "\n".join([line, json.dumps({"checkpoint": {"tree_size": 1}})])
    assert logscan.scan(text.split("\n")) is not None


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 300), st.data())
def test_the_offline_tools_roots_are_the_rfcs(n: int, data: st.DataObject) -> None:
    d = leaves(n)
    sizes = data.draw(st.lists(st.integers(0, n), max_size=5))
    assert logscan.roots(d, sizes) == {m: mth(d[:m]) for m in sizes}
