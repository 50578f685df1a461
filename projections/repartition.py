"""Change how many partitions the read models catch up in (`ledger repartition`).

The read tables do not depend on the layout, only the tracking rows do: each partition's
position is a global one. So a new count needs no rebuild. Under the lock of every read
model's row, each partition is brought to one position (the log's safe head), where every
layout agrees; the old rows are replaced by the new layout's, at that position, in the same
transaction. Advancers wait on the locks meanwhile, then find the new rows and follow them
(`tracking.LayoutMoved`).
"""

import logging

from eventsourcing.utils import get_topic
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from core.db import session_scope
from core.event_store.global_log import EventLog
from projections import partitions, registry, tracking
from projections.fold import apply
from projections.partitions import Part
from projections.registry import PROJECTIONS

logger = logging.getLogger(__name__)
BATCH = 5_000


def repartition(log: EventLog, count: int | None = None) -> int:
    """Put every read model in `count` partitions (the configured count by default); the
    position their new rows start at."""
    count = count or log.settings.projection_partitions
    head = log.head()  # before any lock: the safe head waits for open transactions
    with session_scope() as session:
        found = {row: position for name in sorted(PROJECTIONS)
                 for row, position in tracking.lock_projection(session, name).items()}
        head = max(head, *found.values())
        for row, position in found.items():
            _catch_up(session, log, row, (position, head))
        for name in PROJECTIONS:
            session.execute(delete(tracking.tracking).where(tracking.rows_of(name)))
        session.execute(insert(tracking.tracking), [
            {"name": row, "position": head}
            for name in PROJECTIONS for row in partitions.units(name, count)])
    tracking.forget_layouts()  # this process's own advancers follow the new rows at once
    logger.info("read models in %d partitions from position %d", count, head)
    return head


def _catch_up(session: Session, log: EventLog, row: str, span: tuple[int, int]) -> None:
    """Apply the events of tracking row `row`'s partition in `span` = (after, upto]."""
    name, part = partitions.parse(row)
    model = registry.get(name)
    topics = sorted(get_topic(kind) for kind in model.types)
    position, upto = span
    while position < upto:
        notifications, position = log.read_part(position, upto, BATCH * part.n,
                                                Part(part.k, part.n), topics)
        apply(session.connection(), [(model, model.live)], notifications, log.decode)
