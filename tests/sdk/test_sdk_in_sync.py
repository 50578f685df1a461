"""The committed SDK is exactly what the generator makes from today's API."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.stack import ROOT

SDK = ROOT / "sdk"


def generated_files(folder: Path) -> set[str]:
    """The generator's own manifest, plus the manifest and spec themselves."""
    listed = (folder / ".openapi-generator" / "FILES").read_text().split()
    return {*listed, ".openapi-generator/FILES", ".openapi-generator/VERSION", "openapi.json"}


def on_disk(folder: Path) -> set[str]:
    """Every file under the generated folders (a stale model left behind shows up here)."""
    found = {p.relative_to(folder).as_posix() for d in ("event_sdk", "docs")
             for p in (folder / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    return found | {"pyproject.toml"}


def test_committed_sdk_matches_a_fresh_generation(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        message = "Java is needed to regenerate the SDK"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    fresh = tmp_path / "sdk"
    done = subprocess.run([sys.executable, str(SDK / "generate.py"), "--out", str(fresh)],  # noqa: S603 - our script
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = generated_files(fresh)
    assert generated_files(SDK) == expected, "run ./scripts/regenerate_sdk.sh"
    assert on_disk(SDK) <= expected, "stale generated files: run ./scripts/regenerate_sdk.sh"
    _, mismatch, errors = filecmp.cmpfiles(SDK, fresh, sorted(expected), shallow=False)
    assert not mismatch and not errors, f"sdk/ differs from a fresh generation: {mismatch + errors}"


def test_the_seed_challenge_snippet_imports_and_targets_the_local_server() -> None:
    from event_sdk import ApiClient, Configuration  # noqa: PLC0415 - the snippet's imports
    from event_sdk.api.events_api import EventsApi  # noqa: PLC0415

    assert Configuration().host == "http://127.0.0.1:8000"
    assert callable(EventsApi(ApiClient()).get_events)
