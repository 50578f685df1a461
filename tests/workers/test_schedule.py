"""The timed jobs are listed once (`workers.schedule`): beat sends each as a task the workers
know, and the embedded default runs each itself, the same list."""

import importlib

from core.settings import Settings
from workers import schedule
from workers.celery_app import create_app


def test_beat_sends_every_job_as_a_task_the_workers_know(sqlite_settings: Settings) -> None:
    app = create_app(sqlite_settings)
    app.loader.import_default_modules()
    beat = app.conf.beat_schedule
    assert set(beat) == {job.name for job in schedule.JOBS}
    for job in schedule.JOBS:
        assert beat[job.name]["task"] == job.task
        assert job.task in app.tasks, job.task
        assert beat[job.name]["schedule"] == getattr(sqlite_settings, job.every)


def test_the_embedded_process_runs_the_same_jobs_but_the_projections_catch_up(
        sqlite_settings: Settings) -> None:
    for job in schedule.JOBS:
        if job.embedded is not None:
            module, name = job.embedded.split(":")
            assert callable(getattr(importlib.import_module(module), name)), job.embedded
    embedded = {job.name for job in schedule.JOBS if job.embedded}
    assert {job.name for job in schedule.JOBS} - embedded == {"advance-all-projections"}

    class Ledger:
        eventlog = object()

    lanes = schedule.embedded_lanes(sqlite_settings, Ledger())  # type: ignore[arg-type]
    assert sum(map(len, lanes.values())) == len(embedded)
    assert [job.name for job in schedule.JOBS if job.lane == schedule.MAIL] == ["send-mail"]
