"""The packages of this venv that constraints.txt does not pin, one name a line: a pin removed
since the venv was made leaves its package behind, and `setup.sh` removes what this lists, so
that an existing venv holds what a fresh clone installs (tests/ops/test_constraints.py)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    """constraints.txt as {name: version}; every line an exact pin."""
    found = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        if not (sep and re.fullmatch(r"[A-Za-z0-9_.\-]+", name)):
            raise ValueError(f"constraints.txt: not an exact pin: {line!r}")
        found[normalized(name)] = version.strip()
    return found


def ours() -> set[str]:
    """The projects of this checkout (installed editable, from here): not pinned."""
    return {normalized(tomllib.loads(path.read_text())["project"]["name"])
            for path in (ROOT / "pyproject.toml", ROOT / "sdk" / "pyproject.toml")}


def installed() -> dict[str, str]:
    """This venv's packages but ours, as {name: version}."""
    found = {normalized(d.metadata["Name"]): d.version for d in metadata.distributions()}
    return {name: version for name, version in found.items() if name not in ours()}


if __name__ == "__main__":
    pinned = pins()
    for name in sorted(installed()):
        if name not in pinned:
            print(name)
