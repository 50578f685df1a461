"""Every Python package is locked, the dependencies' own dependencies too: constraints.txt pins
each package of this venv at the version installed, and every install goes through it."""

import re
import tomllib

from scripts.unpinned import ROOT, installed, normalized, pins


def test_every_installed_package_is_pinned_at_its_installed_version() -> None:
    venv = installed()
    pinned = pins()
    assert len(venv) > 50  # the whole venv, not just what the test itself imports
    wrong = {name: (version, pinned.get(name)) for name, version in venv.items()
             if pinned.get(name) != version}
    assert not wrong, f"installed vs constraints.txt: {wrong}"


def test_the_direct_pins_of_pyproject_agree_with_the_constraints() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"],
                    *(r for extra in project["optional-dependencies"].values() for r in extra)]
    pinned = pins()
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)", requirement.strip())
        assert match, f"not an exact pin in pyproject.toml: {requirement!r}"
        assert pinned.get(normalized(match[1])) == match[3], requirement


def test_setup_installs_with_the_constraints_and_reinstalls_when_they_change() -> None:
    setup_sh = (ROOT / "scripts" / "setup.sh").read_text()
    stamp = next(line for line in setup_sh.splitlines() if line.startswith("stamp="))
    assert "constraints.txt" in stamp
    setup_ps1 = (ROOT / "scripts" / "setup.ps1").read_text()
    assert "(Get-Content constraints.txt -Raw)" in setup_ps1
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^COPY [^\n]*constraints\.txt", dockerfile, re.MULTILINE)
    for name, text in (("setup.sh", setup_sh), ("setup.ps1", setup_ps1),
                       ("Dockerfile", dockerfile)):
        installs = [line for line in text.splitlines()
                    if "pip install" in line and "--no-deps" not in line
                    and not line.lstrip().startswith("#")]
        assert installs, name
        for line in installs:  # only the project itself and the generated SDK go without
            assert "-c constraints.txt" in line, f"{name}: {line.strip()}"
