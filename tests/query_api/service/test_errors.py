"""The last-resort handler: an unexpected failure is a bare 500 INTERNAL_ERROR, no internals."""

from fastapi.testclient import TestClient

from query_api.service.app import create_app
from tests.fixtures.api import assert_error


def test_unexpected_errors_do_not_leak(client: TestClient) -> None:
    app = create_app()

    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_api_route("/api/boom", boom)
    response = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert_error(response, 500, "INTERNAL_ERROR")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
