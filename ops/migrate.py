"""Bring a database up to date: the event store's tables, then the read tables (Alembic).

Run once per deployment (`python -m ops.migrate`), never by every process at start: many
processes creating the store's tables at once can fail. Run it as the tables' owner; with
API_DATABASE_URL and WORKER_DATABASE_URL set it then sets up those roles (ops/roles.py).
"""

import logging

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from commands.ledger import Ledger
from core.db import make_engine
from core.settings import ROOT, Settings, get_settings
from ops import roles
from workers.webhooks import secret_box

log = logging.getLogger(__name__)


def migrate(settings: Settings) -> None:
    """Create the event store's tables, then upgrade the read tables to Alembic's head."""
    create_store_tables(settings)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def create_store_tables(settings: Settings) -> None:
    """Let `eventsourcing` create its events and snapshots tables (if not there yet)."""
    Ledger(settings, create_tables=True).close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    migrate(settings)
    log.info("database is up to date: %s", _safe_url(settings.database_url))
    seal_webhook_secrets(settings)
    urls = roles.from_env()
    if urls is not None:
        roles.apply(settings.database_url, *urls)
        log.info("roles of the API and the workers: %s, %s", *map(_safe_url, urls))


def seal_webhook_secrets(settings: Settings) -> None:
    """Seal endpoint secrets stored before sealing, or under a key rotated out of first place;
    without a key in this process, say so and leave them (`ops.webhook_secrets reseal`)."""
    try:
        done, unreadable = secret_box.reseal(settings)
    except secret_box.SecretUnreadable as exc:
        log.warning("webhook secrets not resealed: %s", exc)
        return
    if done or unreadable:
        log.info("webhook secrets resealed: %d; unreadable with these keys: %d", done,
                 unreadable)


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
