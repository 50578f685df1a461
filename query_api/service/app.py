"""The FastAPI application: routers under /api, error mapping, CORS, the first admin."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import NamedTuple

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.routing import BaseRoute

from commands.domain.errors import Conflict
from commands.ledger import Ledger
from core import secretfile
from core.db import session_scope
from core.settings import Settings, get_settings
from projections import catch_up
from projections.proofs import signing_keys
from query_api.auth import user_accounts
from query_api.mail import routes as mail
from query_api.proofs import read_routes
from query_api.proofs import sign_routes as proof_commands
from query_api.reads.consistency import READ_HEADER, WRITE_HEADER
from query_api.reads.replicas import close_read_replicas
from query_api.routes.commands import audit as audit_commands
from query_api.routes.commands import auth, tickets
from query_api.routes.commands import bookings as booking_commands
from query_api.routes.commands import erasure as erasure_commands
from query_api.routes.commands import events as event_commands
from query_api.routes.commands import holds as hold_commands
from query_api.routes.commands import invoices as invoice_commands
from query_api.routes.commands import ops as ops_commands
from query_api.routes.commands import organizers as organizer_commands
from query_api.routes.commands import payments as payment_commands
from query_api.routes.commands import reconciliation as reconciliation_commands
from query_api.routes.commands import retention as retention_commands
from query_api.routes.commands import users as user_commands
from query_api.routes.commands import vouchers as voucher_commands
from query_api.routes.queries import (
    admin,
    audit,
    bookings,
    box_office,
    events,
    holds,
    invoices,
    live,
    ops,
    organizers,
    reconciliation,
    users,
    vouchers,
)
from query_api.routes.queries import retention as retention_queries
from query_api.service import edge, middleware, openapi
from query_api.service.deps import embedded_runs_of
from query_api.service.errors import install_error_handlers
from query_api.service.ui import mount_ui
from query_api.service.write_side import close_ledger, get_ledger
from query_api.webhooks import routes as webhooks
from workers import schedule

log = logging.getLogger(__name__)
VERSION = "0.1.0"
# A reconciliation run waits on the provider's answers: let it end rather than close under it.
RUNS_STOP_SECONDS = 60.0
# Per resource, its queries' router and its commands', in the order that keeps the OpenAPI
# document's paths (and so the generated SDK) as they were when one module held both.
ROUTERS = (
    auth.router,
    users.router,
    user_commands.router,
    erasure_commands.router,
    erasure_commands.organizer_router,
    retention_commands.router,
    retention_queries.router,
    events.router,
    event_commands.router,
    organizer_commands.router,
    organizers.router,
    live.router,
    bookings.router,
    booking_commands.router,
    holds.router,
    hold_commands.router,
    vouchers.router,
    voucher_commands.router,
    invoices.router,
    invoice_commands.router,
    payment_commands.router,
    tickets.router,
    box_office.router,
    admin.router,
    ops.router,
    ops_commands.router,
    audit.router,
    audit_commands.router,
    reconciliation.router,
    reconciliation_commands.router,
    read_routes.router,
    proof_commands.router,
    webhooks.router,
    mail.router,
)
# Matched before the others, as a sale calls them most: an app tries its routes in order, each
# try costs Python work, and the booking's came after most of the API's. The OpenAPI document
# lists the routes in ROUTERS's order whatever the matching order (`documented_routes`).
MATCHED_FIRST = (booking_commands.router,)


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route names, so the generated SDK reads `get_events()`."""
    return route.name


def documented_routes() -> list[BaseRoute]:
    """The API's routes in ROUTERS's order, as the OpenAPI document lists them."""
    documented = APIRouter(generate_unique_id_function=operation_id)
    for router in ROUTERS:
        documented.include_router(router, prefix="/api")
    return documented.routes


def ensure_first_admin(settings: Settings) -> None:
    """Create the admin named by ADMIN_EMAIL/ADMIN_PASSWORD unless that account exists."""
    if not (settings.admin_email and settings.admin_password):
        return
    try:
        with session_scope() as session:
            if user_accounts.ensure_admin(session, settings.admin_email.strip(),
                                     settings.admin_password):
                log.info("created the first admin %s", settings.admin_email)
    except Conflict:  # another API process starting beside this one created it first
        log.info("the first admin %s already exists", settings.admin_email)


def catch_up_on_start(ledger: Ledger) -> None:
    """Embedded mode: bring every projection to the store's head (commits a crash left behind).

    Without workers nothing else would until the next command; a projection that fails is
    logged (and shown by /api/projections and the health check), the others still advance.
    """
    for name in catch_up.PROJECTIONS:
        try:
            applied = catch_up.advance(name, ledger.eventlog)
        except Exception:
            log.exception("projection %s could not catch up at startup", name)
        else:
            if applied:
                log.info("projection %s caught up %d events at startup", name, applied)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Each run of the app starts with none of an earlier run's state (its pages cache, live
    # hub, embedded runs): an app may be started again on another database, as the tests do.
    app.state = State()
    settings = get_settings()
    await run_in_threadpool(ensure_first_admin, settings)
    # Built off the event loop, before the first command.
    ledger = await run_in_threadpool(get_ledger)
    schedulers: list[asyncio.Task[None]] = []
    stopping = asyncio.Event()
    if settings.is_eager:
        await run_in_threadpool(catch_up_on_start, ledger)
        # Every timed job of the schedule (`workers.schedule`), beat's work when distributed,
        # each lane a scheduler of its own: one waiting on an outside server (the webhooks'
        # receivers, the payment provider, the mail server) holds up only its own lane.
        for jobs in filter(None, schedule.embedded_lanes(settings, ledger).values()):
            schedulers.append(asyncio.create_task(run_timed_work(
                stopping, [TimedJob(every, work) for every, work in jobs])))
    yield
    if schedulers:
        # Not cancelled: a job running in its thread would go on using the ledger while the
        # process closes it (a SQLite connection closed under a read crashes the process). A
        # webhook tick ends within two deadlines (`workers.webhooks.sender.tick_seconds`), a
        # mail tick within its budget and one message's lease (`workers.mail.sender`).
        stopping.set()
        await asyncio.gather(*schedulers)
    await live.stop_hub(app)  # end the live streams and their Redis subscription
    await run_in_threadpool(close_read_replicas)  # their monitor's thread and pools
    # Verify and reconciliation runs read the store: stopped before it is closed.
    await run_in_threadpool(embedded_runs_of(app.state).stop, RUNS_STOP_SECONDS)
    # Its wake-up, commit and snapshot threads joined: none outlives the app that used them.
    await run_in_threadpool(close_ledger)


class TimedJob(NamedTuple):
    """Work done every `interval` seconds; `run` never raises (it logs its failures)."""

    interval: float
    run: Callable[[], None]


async def run_timed_work(stopping: asyncio.Event, jobs: Sequence[TimedJob]) -> None:
    """One of the embedded default's schedulers, in place of beat: each job every its interval
    (the signer's heads, the events' completion, the holds' expiry and the waitlists' offers; the
    webhooks and the mail on schedulers of their own), in a worker thread, one at a time, until
    `stopping` is set; a job running then finishes first."""
    loop = asyncio.get_running_loop()
    due = [loop.time() + job.interval for job in jobs]
    while not stopping.is_set():
        next_job = min(range(len(jobs)), key=due.__getitem__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), max(0.0, due[next_job] - loop.time()))
        if stopping.is_set():
            return
        await run_in_threadpool(jobs[next_job].run)
        due[next_job] = loop.time() + jobs[next_job].interval


def check_trust(settings: Settings) -> None:
    """Refuse to serve proofs no one can check: a bad pinned key, or none in production."""
    keys = signing_keys.published_pins(settings)
    if settings.environment == "production" and not settings.is_eager and not keys \
            and not signing_keys.has_signing_key(settings):
        raise RuntimeError("CHECKPOINT_PUBLIC_KEYS is empty: set the signer's public key "
                           "(scripts/compose-secrets.sh and scripts/run_distributed.sh do)")


def create_app() -> FastAPI:
    """A fresh app for the current settings."""
    settings = get_settings()
    if not settings.secret_key:  # refuse to start rather than sign with nothing
        raise RuntimeError(secretfile.MISSING)
    if not settings.personal_data_key:  # refuse rather than record personal data in the clear
        raise RuntimeError(secretfile.PERSONAL_MISSING)
    check_trust(settings)
    docs = edge.docs_served(settings)  # app.openapi() (the SDK generator) works either way
    app = FastAPI(
        title="Booking ledger",
        summary="Event-ticket booking: an event-sourced write side, projected read models.",
        version=VERSION,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        generate_unique_id_function=operation_id,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            # The UI counts deadlines down by the server's clock (neither is CORS-safelisted).
            expose_headers=[READ_HEADER, WRITE_HEADER, "Idempotent-Replayed", "Date",
                            middleware.SERVER_TIME_HEADER],
        )
    install_error_handlers(app)
    middleware.install(app, settings.max_body_bytes, settings.hsts_seconds,
                       payment_commands.browser_origins(settings))
    edge.trust_proxies(app, settings.trusted_proxies)  # outermost: all see the real client
    for router in (*MATCHED_FIRST, *(r for r in ROUTERS if r not in MATCHED_FIRST)):
        app.include_router(router, prefix="/api")
    if edge.metrics_served(settings):  # GET /metrics: Prometheus, outside /api
        app.include_router(ops.metrics_router, dependencies=edge.metrics_guard(settings))
    mount_ui(app)  # the built web UI at / with SPA fallback, when frontend/dist exists
    openapi.install(app, documented_routes())
    return app
