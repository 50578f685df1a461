"""The SDK's tour runs against a live server on PostgreSQL + Redis + a Celery worker."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.stack import ROOT, pg_database, require_services, service_env, start_api, start_worker

pytestmark = pytest.mark.postgres


def test_the_sdk_tour_exercises_every_group_of_operations(tmp_path: Path) -> None:
    require_services()
    admin = {"ADMIN_EMAIL": "admin@sdk.test", "ADMIN_PASSWORD": "admin-password-sdk"}
    with pg_database() as database_url:
        env = service_env(database_url, f"sdk{uuid.uuid4().hex[:10]}", **admin)
        migrated = subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, cwd=ROOT,  # noqa: S603
                                  capture_output=True, text=True, check=False)
        assert migrated.returncode == 0, migrated.stderr
        worker = start_worker(env, tmp_path, beat=True)  # beat: the lines' offers
        api, url = start_api(env, tmp_path, workers=2)
        try:
            tour = subprocess.run(  # noqa: S603 - our example, fixed arguments
                [sys.executable, str(ROOT / "sdk" / "examples" / "tour.py"), "--host", url],
                env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
        finally:
            api.stop()
            worker.stop()
        assert tour.returncode == 0, f"{tour.stdout}\n{tour.stderr}\n{api.tail()}"
        assert "tour complete" in tour.stdout
        for group in ("health", "signed up", "booked", "replayed", "proof verified",
                      "heads consistent", "cancelled", "checked in",
                      "my bookings", "stats", "projections", "audit log resumed",
                      "organizer's event", "organizer's stats", "co-organizers",
                      "organizer's public page", "webhook", "held", "hold confirmed",
                      "waitlist", "offer taken", "order held", "order booked"):
            assert f"-- {group}" in tour.stdout, group
