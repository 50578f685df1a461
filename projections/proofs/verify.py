"""The live store against the signed heads: `ledger verify` and a verify run (the API's).

`TreeCheck` watches the verify pass over the store (every event, in log order), hashing each
as its leaf. Then every signed head (the database's and the shipped file's) must verify and
have the root the store's first `tree_size` events give; and the store's leaves are compared
with the tree's own, which names the events deleted, inserted or edited since they were
projected. What a head covers cannot change unnoticed even if the tree's tables are rewritten
too: the signature pins the root.
"""

from typing import Any

from sqlalchemy import select

from core.db import read_scope
from core.proofs import merkle, tree_heads
from core.proofs.tree_heads import same
from core.settings import get_settings
from projections.proofs import checkpoints, signing_keys
from projections.proofs.tree import leaf_document, leaf_of, leaves, nodes

MAX_PROBLEMS = 100
BATCH = 10_000


class TreeCheck:
    """An observer of the verify pass: each stored event's leaf hash, in log order."""

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.hashes: list[bytes] = []

    def __call__(self, event: Any, position: int) -> None:
        self.positions.append(position)
        self.hashes.append(leaf_of(leaf_document(event, position)))

    def report(self) -> dict[str, Any]:
        """Problems (capped), heads checked, and whether all held."""
        problems: list[dict[str, Any]] = []
        checked = self._heads(problems)
        self._against_tree(problems)
        return {"ok": not problems, "heads_checked": checked, "leaves": len(self.hashes),
                "problems": problems[:MAX_PROBLEMS]}

    def _heads(self, problems: list[dict[str, Any]]) -> int:
        settings = get_settings()
        keys = signing_keys.trusted(settings)
        with read_scope() as session:
            stored, listed = checkpoints.all_heads(session), checkpoints.listed_keys(session)
        _untrusted_keys(listed, stored, keys, problems)
        try:
            shipped = checkpoints.shipped(settings)
        except (OSError, ValueError) as exc:
            shipped = []
            problems.append(_problem("heads_file", f"the shipped heads cannot be read: {exc}"))
        for head in shipped:
            if not any(same(head, s) for s in stored):
                problems.append(_problem("checkpoint_deleted", f"head of size {head['tree_size']} "
                                         f"signed {head['timestamp']} is in the shipped file, "
                                         "not in the database: it was deleted", head))
        found = merkle.memory_nodes(self.hashes) if self.hashes else None
        everyone = stored + [h for h in shipped if not any(same(h, s) for s in stored)]
        for head in everyone:
            self._head(head, keys, found, problems)
        return len(everyone)

    def _head(self, head: dict[str, Any], keys: dict[str, tree_heads.TrustedKey],
              found: merkle.Nodes | None, problems: list[dict[str, Any]]) -> None:
        what = f"head of size {head['tree_size']} signed {head['timestamp']}"
        bad = tree_heads.check(head, keys)
        if bad is not None:
            problems.append(_problem("signature", f"{what}: {bad}", head))
            return
        size = int(head["tree_size"])
        if size > len(self.hashes):
            problems.append(_problem("missing", f"{what} covers {size} events, the store has "
                                     f"{len(self.hashes)}: signed events were deleted", head))
            return
        root = merkle.root(found, size) if found else merkle.EMPTY_ROOT
        if root.hex() != head["root_hash"]:
            problems.append(_problem("root", f"{what}: the store's first {size} events give "
                                     f"root {root.hex()}, not the signed one", head))

    def _against_tree(self, problems: list[dict[str, Any]]) -> None:
        """The store's leaves against the tree's, leaf by leaf, as far as the tree goes."""
        store = dict(zip(self.positions, self.hashes, strict=True))
        seen: set[int] = set()
        after = -1
        while True:
            with read_scope() as session:
                rows = session.execute(
                    select(leaves.c.leaf_index, leaves.c.position, nodes.c.hash)
                    .join(nodes, (nodes.c.level == 0) & (nodes.c.index == leaves.c.leaf_index))
                    .where(leaves.c.leaf_index > after)
                    .order_by(leaves.c.leaf_index).limit(BATCH)).all()
            for index, position, stored_hash in rows:
                seen.add(int(position))
                mine = store.get(int(position))
                if mine is None:
                    problems.append(_problem("deleted", f"position {position} (leaf {index}) is "
                                             "in the tree, not in the store: it was deleted"))
                elif mine != bytes(stored_hash):
                    problems.append(_problem("edited", f"position {position} (leaf {index}) "
                                             "differs from the event the tree took in: edited"))
            if len(rows) < BATCH:
                break
            after = int(rows[-1].leaf_index)
        tree_top = max(seen, default=0)
        for position in self.positions:
            if position <= tree_top and position not in seen:
                problems.append(_problem("inserted", f"position {position} is in the store, "
                                         "not in the tree before it: inserted with a forged "
                                         "position"))


def _untrusted_keys(listed: list[dict[str, Any]], stored: list[dict[str, Any]],
                    keys: dict[str, tree_heads.TrustedKey], problems: list[dict[str, Any]]) -> None:
    """A key the database lists that the configuration does not trust: someone with SQL
    access registered it; its heads are named (each is also refused by its signature check)."""
    for key in listed:
        if key["key_id"] in keys:
            continue
        signed = [h for h in stored if h["key_id"] == key["key_id"]]
        sizes = ", ".join(str(h["tree_size"]) for h in signed[:20]) or "none"
        problems.append(_problem("untrusted_key", f"key {key['key_id']} is in the database's "
                                 "tree_keys but is not a configured trusted key; heads it "
                                 f"signed ({len(signed)}, sizes {sizes}) are not believed"))


def _problem(kind: str, message: str, head: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": kind, "message": message, "head": head}
