"""The built web UI is served at / with an SPA fallback; the API keeps its own paths."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from query_api.service import ui
from query_api.service.app import create_app

INDEX = "<!doctype html><title>Booking ledger</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "app-1234.js").write_text("console.log('ui')")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


@pytest.fixture
def served(
    sqlite_settings: Settings, dist: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setattr(ui, "DIST", dist)
    with TestClient(create_app()) as client:
        yield client


def test_the_ui_is_served_at_the_root_and_for_its_own_paths(served: TestClient) -> None:
    event = "/events/5b0e3c3e-0000-4000-8000-000000000000"
    for path in ("/", event, "/admin/events/new", "/my-bookings"):
        response = served.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["content-type"].startswith("text/html")


def test_built_files_are_served_as_themselves(served: TestClient) -> None:
    script = served.get("/assets/app-1234.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert served.get("/favicon.svg").text == "<svg/>"
    assert served.get("/assets/missing.js").status_code == 404


def test_the_api_keeps_its_paths_and_json_errors(served: TestClient) -> None:
    assert served.get("/api/events").json()["items"] == []
    for method, path in (("GET", "/api/nope"), ("POST", "/api/nope"), ("GET", "/api")):
        response = served.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "NOT_FOUND"
    assert served.get("/openapi.json").json()["info"]["title"] == "Booking ledger"
    assert "swagger" in served.get("/docs").text.lower()
    assert served.get("/metrics").status_code == 200


def test_no_file_outside_the_build_is_served(served: TestClient, dist: Path) -> None:
    (dist.parent / "secret.txt").write_text("nope")
    response = served.get("/%2e%2e/secret.txt")
    assert "nope" not in response.text


def test_without_a_build_the_api_runs_alone(
    sqlite_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui, "DIST", tmp_path / "not-built")
    with TestClient(create_app()) as client:
        assert client.get("/").status_code == 404
        assert client.get("/api/health").status_code == 200
