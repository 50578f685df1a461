"""Proof bodies: signed tree heads, public keys, inclusion and consistency proofs (hex hashes)."""

from typing import Any

from pydantic import BaseModel, Field


class SignedHead(BaseModel):
    tree_size: int = Field(description="leaves (stored events) the tree had")
    root_hash: str = Field(description="RFC 9162 root, SHA-256, hex")
    timestamp: str = Field(description="when it was signed, UTC, as signed")
    key_id: str = Field(description="first 16 hex digits of SHA-256 of the raw public key")
    signature: str = Field(
        description="Ed25519, base64, over the lines of tree size, root hash and timestamp")


class HeadPage(BaseModel):
    items: list[SignedHead]
    next_cursor: int | None = Field(description="pass as `after_size` for the next page")


class PublicKeyOut(BaseModel):
    key_id: str
    algorithm: str = "Ed25519"
    public_key: str = Field(description="PEM (SubjectPublicKeyInfo)")
    first_used_at: str | None = Field(description="its first head in the database (None: "
                                                  "none yet); informational")
    retired_at: str | None = Field(description="when it was rotated out (configured): later "
                                               "heads with this key are refused")


class PublicKeys(BaseModel):
    key_id: str | None = Field(description="the key signing new heads (None: none configured)")
    keys: list[PublicKeyOut]


class InclusionProof(BaseModel):
    leaf_index: int
    tree_size: int
    leaf: dict[str, Any] = Field(description="the stored event the leaf hashes: SHA-256 of 0x00 "
                                             "and its canonical JSON")
    leaf_hash: str
    audit_path: list[str] = Field(description="RFC 9162 inclusion path, hex, leaf side first")
    head: SignedHead


class ConsistencyProof(BaseModel):
    first: int
    second: int
    first_head: SignedHead | None = Field(description="the head signed at `first`, if any")
    second_head: SignedHead | None = Field(description="the head signed at `second`, if any")
    proof: list[str] = Field(description="RFC 9162 consistency proof, hex")


class TreeProblem(BaseModel):
    kind: str = Field(description="signature, missing, root, deleted, edited, inserted, "
                                  "checkpoint_deleted, heads_file, untrusted_key")
    message: str
    head: SignedHead | None


class TreeCheckOut(BaseModel):
    ok: bool
    heads_checked: int = Field(description="signed heads, the database's and the shipped file's")
    leaves: int = Field(description="stored events hashed as leaves")
    problems: list[TreeProblem]
