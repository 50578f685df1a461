"""Regenerate the Python SDK (event_sdk) from the app's OpenAPI document, without a server."""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SDK = Path(__file__).resolve().parent
ROOT = SDK.parent
# Where `ApiClient()` with no arguments connects: the local server of ./scripts/run.sh.
DEFAULT_SERVER = "http://127.0.0.1:8000"
# Written by the generator; removed first so nothing stale survives a regeneration.
GENERATED = ("event_sdk", "docs", ".openapi-generator", "pyproject.toml", "openapi.json")
HAND_WRITTEN = ("README.md", "examples", "generate.py", "openapi-generator-config.yaml",
                ".openapi-generator-ignore")


def spec() -> dict[str, Any]:
    """The app's OpenAPI document with the default server the SDK should use."""
    sys.path.insert(0, str(ROOT))
    from query_api.service.app import create_app  # noqa: PLC0415 - needs ROOT on sys.path first

    document = create_app().openapi()
    # The app declares no `servers` (Swagger UI uses its own origin); the SDK gets a default.
    document["servers"] = [{"url": DEFAULT_SERVER, "description": "local server"}]
    return document


def java() -> str:
    """The Java runtime the generator's jar needs, or a clear error."""
    found = shutil.which("java")
    if found is None:
        sys.exit("error: Java 11+ is needed to regenerate the SDK (install a JRE, e.g. "
                 "`apt-get install openjdk-17-jre-headless`); the committed sdk/ still works")
    return found


def generate(out: Path) -> None:
    """Write the spec and the generated package into `out` (normally sdk/ itself)."""
    import openapi_generator_cli  # noqa: PLC0415 - only needed here (the `sdk` extra)

    out.mkdir(parents=True, exist_ok=True)
    for name in GENERATED:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    if out != SDK:
        shutil.copy(SDK / ".openapi-generator-ignore", out / ".openapi-generator-ignore")
    spec_file = out / "openapi.json"
    spec_file.write_text(json.dumps(spec(), indent=2, ensure_ascii=False) + "\n")
    jar = Path(openapi_generator_cli.__file__).with_name("openapi-generator.jar")
    args = [java(), "-jar", str(jar), "generate", "--input-spec", str(spec_file),
            "--generator-name", "python", "--config", str(SDK / "openapi-generator-config.yaml"),
            "--output", str(out), "--ignore-file-override", str(out / ".openapi-generator-ignore")]
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"openapi-generator failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=SDK, help="output folder (default: sdk/)")
    generate(parser.parse_args().out.resolve())
    print("SDK regenerated: sdk/event_sdk (spec: sdk/openapi.json)")


if __name__ == "__main__":
    main()
