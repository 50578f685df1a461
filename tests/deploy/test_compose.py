"""docker-compose.yml names entry points that exist, and agrees with .env.example."""

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.settings import Settings
from tests.stack import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
OURS = {name: s for name, s in SERVICES.items() if "build" in s}
ENV_EXAMPLE = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
               if re.match(r"^[A-Z][A-Z0-9_]*=", line)}


def module_file(module: str) -> Path:
    """The source file of a dotted module of this repository (fails when there is none)."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__main__.py", base / "__init__.py"):
        if candidate.is_file():
            return candidate
    raise AssertionError(f"no module {module} in the repository")


def defines(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in node.targets) for node in tree.body)


def entry_point(command: list[str]) -> None:
    """`python -m X`, `uvicorn X:attr`, `celery -A X` or `npm run S`: X (or frontend's S) exists."""
    program = command[0]
    if program == "python":
        assert command[1] == "-m"
        path = module_file(command[2])
        assert path.name == "__main__.py" or "__main__" in path.read_text(), command
    elif program == "uvicorn":
        module, attr = command[1].split(":")
        assert defines(module_file(module), attr), command
    elif program == "celery":
        module = command[command.index("-A") + 1]
        assert defines(module_file(module), "app"), command
    elif program == "npm":
        assert command[1] == "run", command
        scripts = json.loads((ROOT / "frontend" / "package.json").read_text())["scripts"]
        assert command[2] in scripts, command
    else:
        pytest.fail(f"unknown program in {command}")


@pytest.mark.parametrize("name", sorted(OURS))
def test_every_service_command_names_an_entry_point_of_the_repo(name: str) -> None:
    command = OURS[name]["command"]
    assert isinstance(command, list), "exec form, so no shell stands between signals and us"
    entry_point(command)


def test_the_topology_is_complete_with_health_checks() -> None:
    assert {"postgres", "redis", "migrate", "api", "worker", "beat"} <= set(SERVICES)
    assert SERVICES["worker"]["deploy"]["replicas"] >= 2
    assert "--workers" in SERVICES["api"]["command"]
    for name in ("postgres", "redis", "api", "worker"):
        assert "healthcheck" in SERVICES[name], name
    for name, service in SERVICES.items():
        assert set(service.get("depends_on", {})) <= set(SERVICES), name
    assert SERVICES["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "frontend" in SERVICES or not (ROOT / "frontend").exists()


def compose_variables() -> set[str]:
    """Variables compose substitutes (${VAR}) or sets in a service's environment."""
    text = (ROOT / "docker-compose.yml").read_text()
    found = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    for service in OURS.values():
        found |= set(service.get("environment", {}))
    return found


def test_compose_and_env_example_agree_on_variable_names() -> None:
    assert compose_variables() <= ENV_EXAMPLE
    settings = {name.upper() for name in Settings.model_fields}
    unknown = ENV_EXAMPLE - settings - compose_variables()
    assert not unknown, f"in .env.example but neither a setting nor used by compose: {unknown}"
    assert settings <= ENV_EXAMPLE, "every setting is documented in .env.example"


def test_the_image_copies_what_the_commands_need() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for needed in ("migrations", "alembic.ini", "core", "commands", "projections", "query_api",
                   "workers"):
        assert f"COPY {needed} " in dockerfile, needed
