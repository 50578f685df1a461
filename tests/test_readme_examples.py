"""The README's API examples run as pasted: every shell variable they use is set before, by them.

Running the block itself needs a server, `curl`, `jq` and tens of seconds (its sleeps, its live
stream); this checks the drift that breaks a paste most often, a variable named but never set.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

SET = re.compile(r"(?:^|[\s;(])([A-Za-z_]\w*)=")  # ANN=$(…), for ID in … is handled below
READ = re.compile(r"\bread -r ((?:[A-Za-z_]\w* ?)+)")
LOOP = re.compile(r"\bfor ([A-Za-z_]\w*) in\b")
USED = re.compile(r"\$\{?([A-Za-z_]\w*)")


def examples() -> list[tuple[int, str]]:
    """The README's bash block that starts with `API=`: (line number in the README, line)."""
    lines = README.read_text().splitlines()
    start = next(n for n, line in enumerate(lines)
                 if line == "```bash" and lines[n + 1].startswith("API="))
    end = lines.index("```", start + 1)
    # Comments say what a line answers; they are not run.
    return [(n + 1, lines[n].split(" # ")[0]) for n in range(start + 1, end)
            if not lines[n].startswith("#")]


def test_the_readme_examples_set_every_variable_before_using_it() -> None:
    known: set[str] = set()
    unset: list[str] = []
    for number, line in examples():
        # Within one line the values are made before they are used: `B=$(… $A …)` uses A.
        uses = set(USED.findall(line))
        made = set(SET.findall(line)) | set(LOOP.findall(line))
        for names in READ.findall(line):
            made.update(names.split())
        # A function's own arguments ($1) are not variables of the block.
        unset.extend(f"README.md:{number}: ${name}" for name in sorted(uses - known - made)
                     if not name.isdigit())
        known |= made
    assert not unset, "the README's examples use variables they never set:\n  " + "\n  ".join(unset)
