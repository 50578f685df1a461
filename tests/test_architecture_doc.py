"""docs/architecture.md's folder lists name every module of the app's four folders, and no module
that is gone.

The folder lists are the blocks of its "Layers and folders" section: a paragraph that starts with
a folder in bold (**`workers/`**: …), or a bullet that starts with a subfolder of it
(- `webhooks/`: …). A module is named when its file name (`tasks.py`) stands in backticks in its
own folder's block, or its path (`workers/webhooks/sender.py`, or `webhooks/sender.py` under
`workers/`) anywhere in the section. A file name alone elsewhere does not count: `holds.py`
under `projections/` says nothing of `workers/holds.py`.

`__init__.py` files are left out: a package's marker or its re-exports, said by the folder's own
name, which the block heading gives.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
FOLDERS = ("commands", "projections", "workers", "query_api")

SECTION = "## Layers and folders"
FOLDER_PARAGRAPH = re.compile(r"^\*\*`([\w/]+/)`\*\*")  # **`query_api/routes/commands/`**: …
SUBFOLDER_BULLET = re.compile(r"^- `([\w/]+/)`:")  # - `domain/`: …
MODULE = re.compile(r"`([\w/]+\.py)`")


def modules() -> set[str]:
    """Every module of the four folders, as its path from the repository's root."""
    return {
        path.relative_to(ROOT).as_posix()
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "__init__.py"
    }


def folder_lists() -> list[tuple[str, str]]:
    """The section's blocks: (the folder a block describes, its text)."""
    text = DOC.read_text()
    start = text.index(SECTION) + len(SECTION)
    end = text.find("\n## ", start)
    blocks: list[tuple[str, list[str]]] = [("", [])]
    folder = ""
    for line in text[start:end if end != -1 else None].splitlines():
        if heading := FOLDER_PARAGRAPH.match(line):
            folder = heading.group(1)
            blocks.append((folder, [line]))
        elif (bullet := SUBFOLDER_BULLET.match(line)) and folder:
            blocks.append((folder + bullet.group(1), [line]))
        elif line.startswith("- ") or not line.strip():
            # Another bullet, or a paragraph's end: back to the folder's own text.
            blocks.append((folder, [line]))
        else:
            blocks[-1][1].append(line)
    return [(folder, "\n".join(lines)) for folder, lines in blocks]


def named() -> list[tuple[str, ...]]:
    """Each module the folder lists name, as the paths it may stand for: a file name is in its
    block's folder; a path with a slash is from the repository's root or from the block's
    folder."""
    found: list[tuple[str, ...]] = []
    for folder, text in folder_lists():
        for name in MODULE.findall(text):
            if "/" in name:
                found.append((name, folder + name) if folder else (name,))
            elif folder:
                found.append((folder + name,))
    return found


def test_every_module_is_named_in_the_folder_lists() -> None:
    missing = sorted(modules().difference(*named()))
    assert not missing, (
        "docs/architecture.md (\"Layers and folders\") does not name these modules; add each "
        "in its folder's list with what it is for:\n  " + "\n  ".join(missing))


def test_the_folder_lists_name_no_module_that_is_gone() -> None:
    gone = sorted(
        paths[-1]
        for paths in named()
        if any(path.startswith(tuple(f + "/" for f in FOLDERS)) for path in paths)
        and not any((ROOT / path).exists() for path in paths)
    )
    assert not gone, (
        "docs/architecture.md names modules that no longer exist (renamed or removed?):\n  "
        + "\n  ".join(gone))
