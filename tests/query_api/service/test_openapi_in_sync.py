"""The committed API documents match the app: sdk/openapi.json, and the web UI's generated types.

No Java and no Node: the SDK's full regeneration is checked in tests/sdk when Java is there; this
catches a changed route or schema in the quick tier, with the paths that differ.
"""

import hashlib
import json
import re
import runpy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.stack import ROOT

SPEC = ROOT / "sdk" / "openapi.json"
# The document as sdk/generate.py writes it; run from its path, as mypy would see the script under
# two module names if it were imported as `sdk.generate`.
spec: Callable[[], dict[str, Any]] = runpy.run_path(str(ROOT / "sdk" / "generate.py"))["spec"]
UI_TYPES = ROOT / "frontend" / "src" / "types" / "openapi.ts"
FIX = "run ./scripts/regenerate_sdk.sh, then `cd frontend && npm run types`"
SHOWN = 40  # differences listed before the rest are counted


def differences(committed: Any, current: Any, where: str = "") -> Iterator[str]:
    """Each place two JSON documents differ, as `where > it is: committed -> current`."""
    if isinstance(committed, dict) and isinstance(current, dict):
        for key in sorted(committed.keys() | current.keys()):
            here = f"{where} > {key}" if where else key
            if key not in current:
                yield f"{here}: removed from the app"
            elif key not in committed:
                yield f"{here}: new in the app"
            else:
                yield from differences(committed[key], current[key], here)
    elif type(committed) is list and type(current) is list and len(committed) == len(current):
        for index, (old, new) in enumerate(zip(committed, current, strict=True)):
            yield from differences(old, new, f"{where} > {index}")
    elif committed != current:
        yield f"{where or 'the document'}: {shown(committed)} -> {shown(current)}"


def shown(value: Any) -> str:
    """A JSON value cut short enough for one line of the failure."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def header_hash(text: str, label: str) -> str | None:
    """The SHA-256 the generator wrote after `label` in the types file's header."""
    found = re.search(rf"^ \* {re.escape(label)} SHA-256: ([0-9a-f]{{64}})$", text, re.MULTILINE)
    return found.group(1) if found else None


def test_sdk_openapi_json_is_the_apps_document() -> None:
    found = list(differences(json.loads(SPEC.read_text()), spec()))
    more = [f"... and {len(found) - SHOWN} more"] if len(found) > SHOWN else []
    listed = "\n".join(found[:SHOWN] + more)
    if found:
        pytest.fail(f"sdk/openapi.json differs from the app's OpenAPI document ({FIX}):\n{listed}",
                    pytrace=False)


def test_web_ui_types_were_generated_from_sdk_openapi_json() -> None:
    text = UI_TYPES.read_text(encoding="utf-8")
    made_from = header_hash(text, "sdk/openapi.json")
    assert made_from is not None, f"{UI_TYPES.name} has no generator header ({FIX})"
    assert made_from == hashlib.sha256(SPEC.read_bytes()).hexdigest(), (
        "frontend/src/types/openapi.ts was generated from another sdk/openapi.json: "
        "run `cd frontend && npm run types`")


def test_web_ui_types_are_not_edited_by_hand() -> None:
    text = UI_TYPES.read_text(encoding="utf-8")
    _, _, body = text.partition(" */\n\n")
    assert header_hash(text, "Body") == hashlib.sha256(body.encode()).hexdigest(), (
        "frontend/src/types/openapi.ts was edited after it was generated: "
        "run `cd frontend && npm run types`")
