"""docker-compose.yml names entry points that exist, agrees with .env.example, needs its secrets,
and gives each service the least database privilege it needs."""

import ast
import json
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from core.settings import Settings
from ops import roles
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
    assert {"postgres", "redis", "migrate", "api", "worker", "webhooks", "beat"} <= set(SERVICES)
    assert SERVICES["worker"]["deploy"]["replicas"] >= 2
    assert "--workers" in SERVICES["api"]["command"]
    for name in ("postgres", "redis", "api", "worker", "webhooks"):
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
                   "workers", "ops"):  # ops: the `ledger` command
        assert f"COPY {needed} " in dockerfile, needed


# ----- secure by default: secrets required, production, least-privilege database roles -----

TEXT = (ROOT / "docker-compose.yml").read_text()
APP = {name: s for name, s in SERVICES.items() if s.get("image") == "booking-ledger:latest"}


def resolved(value: str) -> str:
    """A compose value with `${VAR:-default}` as its default and `${VAR:?…}` as `<VAR>`."""
    value = re.sub(r"\$\{([A-Z0-9_]+):-([^}]*)\}", r"\2", value)
    return re.sub(r"\$\{([A-Z0-9_]+):\?[^}]*\}", r"<\1>", value)


def database_user(service: str, variable: str = "DATABASE_URL") -> tuple[str | None, str | None]:
    url = make_url(resolved(APP[service]["environment"][variable]))
    return url.username, url.password


def test_compose_refuses_to_start_without_its_secrets() -> None:
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", APP["api"]["environment"]["SECRET_KEY"])
    secrets = set(re.findall(r"\$\{([A-Z0-9_]*(?:PASSWORD|SECRET)[A-Z0-9_]*)", TEXT))
    assert secrets >= {"SECRET_KEY", "POSTGRES_PASSWORD", "DB_OWNER_PASSWORD", "DB_API_PASSWORD",
                       "DB_WORKER_PASSWORD"}
    for name in secrets:  # never a default, so never a public one
        uses = re.findall(r"\$\{" + name + r"(.)", TEXT)
        assert set(uses) == {":"} and not re.search(r"\$\{" + name + ":-", TEXT), name
    for service in APP.values():  # `.env` holds every secret: no container gets it whole
        files = [f["path"] if isinstance(f, dict) else f for f in service.get("env_file", [])]
        assert ".env" not in files


def test_the_app_runs_in_production_and_only_the_api_holds_the_signing_secret() -> None:
    for name, service in APP.items():
        assert service["environment"]["ENVIRONMENT"] == "production", name
        assert ("SECRET_KEY" in service["environment"]) == (name == "api"), name
        # The snapshots' seal: taken by the workers, checked by the API.
        key = service["environment"].get("SNAPSHOT_KEY")
        assert (key is not None) == (name in ("api", "worker")), name
        assert key is None or re.fullmatch(r"\$\{SNAPSHOT_KEY:\?[^}]+\}", key), name


def test_the_webhook_secrets_key_is_required_and_held_by_who_seals_or_opens_them() -> None:
    # migrate seals those stored before sealing, the API seals, the workers open to sign.
    for name, service in APP.items():
        key = service["environment"].get("WEBHOOK_SECRET_KEYS")
        assert (key is not None) == (name in ("migrate", "api", "worker", "webhooks")), name
        assert key is None or re.fullmatch(r"\$\{WEBHOOK_SECRET_KEYS:\?[^}]+\}", key), name


def test_only_migrate_connects_as_the_owner_and_the_rest_as_their_own_roles() -> None:
    owner, api, worker = (f"ledger_{kind}" for kind in ("owner", "api", "worker"))
    assert database_user("migrate") == (owner, "<DB_OWNER_PASSWORD>")
    assert database_user("api") == (api, "<DB_API_PASSWORD>")
    assert database_user("worker") == (worker, "<DB_WORKER_PASSWORD>")
    assert database_user("webhooks") == database_user("worker")
    assert "DATABASE_URL" not in APP["beat"]["environment"]  # it only sends tasks
    # migrate sets up the very roles the others connect as (ops/roles.py).
    assert database_user("migrate", "API_DATABASE_URL") == database_user("api")
    assert database_user("migrate", "WORKER_DATABASE_URL") == database_user("worker")
    for name, service in APP.items():
        held = set(re.findall(r"\$\{([A-Z_]*PASSWORD)", str(service["environment"])))
        assert ("DB_OWNER_PASSWORD" in held) == (name == "migrate"), name
    # The role names are the ones ops.roles gives a database called `ledger`.
    for kind, user in (("api", api), ("worker", worker)):
        assert make_url(roles.role_url("postgresql://x@h/ledger", kind, None)).username == user


def test_the_owner_is_made_by_the_superuser_once_and_is_no_superuser() -> None:
    postgres = SERVICES["postgres"]
    assert "ports" not in postgres, "PostgreSQL is reached inside compose's network only"
    assert postgres["environment"]["POSTGRES_USER"] == "postgres"
    script = ROOT / "scripts" / "db" / "create_owner.sh"
    assert f"./{script.relative_to(ROOT)}:/docker-entrypoint-initdb.d/10-create-owner.sh:ro" in \
        postgres["volumes"]
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "NOSUPERUSER" in text and "_owner" in text
    assert "DB_OWNER_PASSWORD" in postgres["environment"]


def test_webhook_deliveries_have_a_queue_and_a_worker_of_their_own() -> None:
    # The webhooks' worker consumes their queue alone, prefork (time limits hold there); the
    # other workers never name a queue, so they consume the default one only.
    assert SERVICES["webhooks"]["command"][:3] == ["python", "-m", "workers.webhooks.worker"]
    assert "-Q" not in SERVICES["worker"]["command"]


def test_the_worker_alone_holds_the_signing_key_and_the_api_trusts_the_public_one() -> None:
    for name, service in APP.items():
        held = {k for k in service["environment"] if k.startswith("CHECKPOINT_KEY")}
        assert held == ({"CHECKPOINT_KEY"} if name == "worker" else set()), name
    assert re.fullmatch(r"\$\{CHECKPOINT_KEY:\?[^}]+\}", APP["worker"]["environment"][
        "CHECKPOINT_KEY"])
    assert re.fullmatch(r"\$\{CHECKPOINT_PUBLIC_KEYS:\?[^}]+\}", APP["api"]["environment"][
        "CHECKPOINT_PUBLIC_KEYS"])
    # The heads the worker ships, on a volume the API reads (verify compares them).
    assert "heads:/app/data/heads" in APP["worker"]["volumes"]
    assert "heads:/app/data/heads:ro" in APP["api"]["volumes"]


def test_the_secrets_step_makes_every_secret_compose_requires(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    def secrets_step() -> None:
        subprocess.run(["bash", str(ROOT / "scripts" / "compose-secrets.sh")],  # noqa: S603, S607
                       env={"PATH": "/usr/bin:/bin", "ENV_FILE": str(env_file)}, check=True,
                       capture_output=True, text=True)

    secrets_step()
    first = env_file.read_text()
    secrets_step()  # again: nothing changes
    assert env_file.read_text() == first
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    made = {line.split("=", 1)[0] for line in first.splitlines() if re.match(r"^[A-Z_]+=.", line)}
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", TEXT))
    assert required <= made, required - made
