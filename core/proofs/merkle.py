"""RFC 9162 Merkle tree math over SHA-256: leaf and node hashes, roots, inclusion and
consistency proofs, made and checked. Standard library only: `tools/verify_export.py` uses it.
A leaf hash covers `core.proofs.canonical.canonical` of its document.

Proofs are made from a `Nodes` lookup of complete, aligned subtrees: the node at (level,
index) is the hash of leaves [index * 2**level, (index + 1) * 2**level). Every subtree the
RFC's recursion names starts on such a boundary, so a proof needs O(log n) complete nodes
and hashes the incomplete ones on the tree's right edge from them (`subtree`).
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence

LEAF, NODE = b"\x00", b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
Nodes = Callable[[int, int], bytes]  # (level, index) -> a complete subtree's hash


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree(nodes: Nodes, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range the RFC's recursion names (start aligned to its size)."""
    size = end - start
    if size & (size - 1) == 0:  # complete: stored
        level = size.bit_length() - 1
        return nodes(level, start >> level)
    k = split(size)
    return node_hash(nodes((k.bit_length() - 1), start // k), subtree(nodes, start + k, end))


def root(nodes: Nodes, size: int) -> bytes:
    return EMPTY_ROOT if size == 0 else subtree(nodes, 0, size)


def inclusion_path(nodes: Nodes, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append(subtree(nodes, start + k, end))
            end = start + k
        else:
            path.append(subtree(nodes, start, start + k))
            start += k
    return path[::-1]


def consistency_path(nodes: Nodes, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 section 2.1.4.1."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to {second}")
    proof: list[bytes] = []
    start, end, whole = 0, second, True
    m = first
    while m != end - start:
        k = split(end - start)
        if m <= k:
            proof.append(subtree(nodes, start + k, end))
            end = start + k
        else:
            proof.append(subtree(nodes, start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        proof.append(subtree(nodes, start, end))
    return proof[::-1]


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root an inclusion path leads to (RFC 9162 section 2.1.3.2); ValueError if malformed."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("the path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the path is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes],
                     expected_root: bytes) -> bool:
    try:
        return root_from_inclusion(index, size, leaf, path) == expected_root
    except ValueError:
        return False


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: the tree of `second` leaves extends the one of `first`."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


class Frontier:
    """A tree grown leaf by leaf: the roots of its complete subtrees (at most log2 n)."""

    def __init__(self, size: int = 0, stack: Iterable[tuple[int, bytes]] = ()) -> None:
        self.size = size
        self.stack: list[tuple[int, bytes]] = list(stack)  # (level, hash), highest first

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; the complete nodes it finishes, as (level, index, hash)."""
        made = [(0, self.size, leaf)]
        level, h = 0, leaf
        self.size += 1
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            level, h = level + 1, node_hash(left, h)
            made.append((level, (self.size >> level) - 1, h))
        self.stack.append((level, h))
        return made

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        h = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            h = node_hash(left, h)
        return h


def frontier_nodes(size: int) -> list[tuple[int, int]]:
    """The (level, index) of the complete subtrees a tree of `size` leaves splits into."""
    found = []
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            start = (size >> (level + 1)) << (level + 1)
            found.append((level, start >> level))
    return found


def memory_nodes(leaves: Sequence[bytes]) -> Nodes:
    """A `Nodes` lookup over leaf hashes held in memory (tests, the offline tool)."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return lambda level, index: levels[level][index]
