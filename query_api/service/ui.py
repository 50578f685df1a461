"""The built web UI (frontend/dist) at `/`, with SPA fallback; the API keeps its own paths."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.convertors import Convertor, register_url_convertor

from core.settings import ROOT

DIST = ROOT / "frontend" / "dist"


class UiPath(Convertor[str]):
    """Any path but the API's own: unknown /api/… paths keep their JSON 404/405."""

    regex = r"(?!api(?:/|$)|docs|openapi\.json|metrics|redoc).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("ui_path", UiPath())


def mount_ui(app: FastAPI, dist: Path | None = None) -> None:
    """Serve the UI when it was built; without a build the API runs alone."""
    dist = dist or DIST
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="ui-assets")

    # The build's own files, listed once: a request path is looked up, never opened, so no
    # path (NUL bytes, `..`, thousands of characters) can reach the filesystem.
    files = {f.relative_to(dist).as_posix(): f for f in dist.rglob("*") if f.is_file()}

    @app.get("/{path:ui_path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        found = files.get(path)
        if found is not None and found != index:
            return FileResponse(found)
        # Client-side routes (/events/…, /admin…) all get the app; it routes in the browser.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
