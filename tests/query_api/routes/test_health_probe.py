"""`GET /api/health?checks=false`: a liveness answer that touches neither database nor broker."""

from fastapi.testclient import TestClient

from tests.query_api.reads.test_event_reads import counting_sql


def test_health_without_checks_answers_at_once_without_sql(client: TestClient) -> None:
    with counting_sql() as statements:
        response = client.get("/api/health", params={"checks": "false"})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert statements == []
    assert "database" in client.get("/api/health").json()  # the full check stays the default
