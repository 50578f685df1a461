"""The single primary's ceiling: pgbench running the store's append and the projections' fold
statements, alone, with no Python in the way.

    python -m bench.primary_ceiling [--seconds 15] [--clients 1 4 16] [--group 16] [--batch 64]

A fresh migrated database gets 1,000 events' read rows; then pgbench (PostgreSQL's own load
generator) runs three scripts in turn, each as many clients as asked:
- append: one group commit of `--group` bookings, as `LedgerRecorder.insert_events` writes
  it: one statement, its own transaction, a `SeatsBooked` on the event's stream and a
  booking's `Registered` on a new stream per booking, states of the stored events' median size;
- fold: one read-model batch of `--batch` bookings of one event, as `projections.batch_loop`
  writes it: the partition's tracking rows locked, the bookings and tickets inserted, the
  event's seats, its category, its stats and its day's sales updated, the positions moved
  (each client its own tracking rows: a partition each);
- tree: the Merkle tree's share of the same batch (its leaves, the changed nodes of each level,
  its position), one client: the tree is one sequence.
Prints each script's transactions/s and what that makes in bookings/s, per client count.
"""

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.db import bench_database

# The topics' colons spelt chr(58): pgbench would read `:Event` as a variable. A state of 640
# bytes (40 md5 digests of 16): the median stored event's (SeatsBooked, Registered: 620-660).
APPEND = """
INSERT INTO ledger_events (originator_id, originator_version, topic, state)
SELECT CASE WHEN i % 2 = 0 THEN s.event ELSE gen_random_uuid() END,
       CASE WHEN i % 2 = 0 THEN i / 2 ELSE 1 END,
       CASE WHEN i % 2 = 0 THEN 'commands.aggregate' || chr(58) || 'Event.SeatsBooked'
            ELSE 'commands.booking_ref' || chr(58) || 'BookingRef.Registered' END,
       s.state
FROM (SELECT gen_random_uuid() AS event,
             decode(repeat(md5(random()::text), 40), 'hex') AS state) s,
     generate_series(1, 2 * :group) AS i
RETURNING notification_id;
"""

FOLD = """
\\set ev random(1, 1000)
BEGIN;
SELECT name, position FROM projection_tracking WHERE name LIKE 'bench-' || :client_id || '-%'
  ORDER BY name FOR UPDATE;
INSERT INTO bookings (id, event_id, user_id, user_name, category, quantity, unit_price,
  total_amount, status, created_at, position)
SELECT gen_random_uuid(), md5(:ev::text)::uuid, gen_random_uuid(), 'Bench', 'General', 1,
  2500, 2500, 'confirmed', now(), i FROM generate_series(1, :batch) AS i;
INSERT INTO tickets (code, booking_id, event_id, ordinal, status)
SELECT md5(random()::text || i), gen_random_uuid(), md5(:ev::text)::uuid, 0, 'active'
FROM generate_series(1, :batch) AS i;
UPDATE events SET available_seats = available_seats - :batch, position = position + :batch,
  updated_at = now() WHERE id = md5(:ev::text)::uuid;
UPDATE event_categories SET sold = sold + :batch
  WHERE event_id = md5(:ev::text)::uuid AND name = 'General';
UPDATE event_stats SET bookings_confirmed = bookings_confirmed + :batch,
  tickets_sold = tickets_sold + :batch, revenue = revenue + 2500 * :batch
  WHERE event_id = md5(:ev::text)::uuid;
INSERT INTO sales_daily (event_id, day, bookings, tickets, revenue, refunds)
VALUES (md5(:ev::text)::uuid, current_date, :batch, :batch, 2500 * :batch, 0)
ON CONFLICT (event_id, day) DO UPDATE SET bookings = sales_daily.bookings + excluded.bookings,
  tickets = sales_daily.tickets + excluded.tickets,
  revenue = sales_daily.revenue + excluded.revenue;
UPDATE projection_tracking SET position = position + 2 * :batch, updated_at = now()
  WHERE name LIKE 'bench-' || :client_id || '-%';
COMMIT;
"""

# A batch's events are two per booking; the tree adds a leaf each and rewrites, per level, the
# nodes above them (about half as many at each level up).
TREE = """
BEGIN;
SELECT position FROM projection_tracking WHERE name = 'bench-tree' FOR UPDATE;
INSERT INTO merkle_leaves (leaf_index, position, stream, version, booking_id)
SELECT s.top + i, s.top + i, gen_random_uuid(), 1, gen_random_uuid()
FROM (SELECT coalesce(max(leaf_index), 0) AS top FROM merkle_leaves) s,
     generate_series(1, 2 * :batch) AS i;
INSERT INTO merkle_nodes (level, index, hash)
SELECT l, (s.top + i) >> l, sha256(int8send(s.top + i))
FROM (SELECT coalesce(max(leaf_index), 0) AS top FROM merkle_leaves) s,
     generate_series(0, 20) AS l, generate_series(1, 2 * :batch) AS i
WHERE i % (1 << l) = 0 OR i = 2 * :batch
ON CONFLICT (level, index) DO UPDATE SET hash = excluded.hash;
UPDATE projection_tracking SET position = position + 2 * :batch, updated_at = now()
  WHERE name = 'bench-tree';
COMMIT;
"""

SEED = """
INSERT INTO events (id, name, description, venue, starts_at, currency, status, total_seats,
  available_seats, created_at, updated_at, version, position)
SELECT md5(n::text)::uuid, 'Bench ' || n, '', 'Hall', now() + interval '7 days', 'EUR',
  'scheduled', 1000000000, 1000000000, now(), now(), 1, 0 FROM generate_series(1, 1000) n;
INSERT INTO event_categories (event_id, name, ordinal, price, capacity, sold)
SELECT md5(n::text)::uuid, 'General', 0, 2500, 1000000000, 0 FROM generate_series(1, 1000) n;
INSERT INTO event_stats (event_id, bookings_confirmed, bookings_cancelled, tickets_sold,
  revenue, refunds, currency)
SELECT md5(n::text)::uuid, 0, 0, 0, 0, 0, 'EUR' FROM generate_series(1, 1000) n;
INSERT INTO projection_tracking (name, position)
SELECT 'bench-' || c || '-' || p, 0 FROM generate_series(0, 63) c,
  unnest(ARRAY['availability', 'bookings', 'holds', 'revenue']) p
UNION ALL SELECT 'bench-tree', 0;
"""


def pgbench(dsn: str, script: Path, clients: int, seconds: int, variables: dict[str, int]) -> float:
    """Transactions per second of `script` run by `clients` for `seconds`."""
    binary = shutil.which("pgbench")
    if binary is None:
        raise SystemExit("pgbench is not installed (Debian: postgresql-client)")
    command = [binary, "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(clients, 4)),
               "-T", str(seconds), "-f", str(script),
               *[f"-D{name}={value}" for name, value in variables.items()], dsn]
    found = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", found.stdout)
    if match is None:
        raise RuntimeError(f"pgbench said: {found.stdout}\n{found.stderr}")
    return float(match.group(1))


def run(args: argparse.Namespace, url: str) -> None:
    import os  # noqa: PLC0415

    import psycopg  # noqa: PLC0415

    os.environ["DATABASE_URL"] = url
    from core.db import reset_singletons  # noqa: PLC0415 - after DATABASE_URL is set
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415

    reset_singletons()
    migrate(get_settings())
    dsn = url.replace("+psycopg", "")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(SEED)
    folder = Path(tempfile.mkdtemp(prefix="primary-ceiling-"))
    scripts = {}
    for name, text in (("append", APPEND), ("fold", FOLD), ("tree", TREE)):
        scripts[name] = folder / f"{name}.sql"
        scripts[name].write_text(text)
    variables = {"group": args.group, "batch": args.batch}
    print(f"{os.cpu_count()} cores, pgbench on the same machine; {args.seconds} s per run; "
          f"a group commit of {args.group} bookings, a fold batch of {args.batch}")
    print("| statements | clients | transactions/s | bookings/s |")
    print("|---|---:|---:|---:|")
    for name, per_transaction in (("append", args.group), ("fold", args.batch),
                                  ("tree", args.batch)):
        for clients in args.clients if name != "tree" else [1]:
            tps = pgbench(dsn, scripts[name], clients, args.seconds, variables)
            print(f"| {name} | {clients} | {tps:,.0f} | {tps * per_transaction:,.0f} |",
                  flush=True)
    shutil.rmtree(folder)
    reset_singletons()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--group", type=int, default=16, help="bookings per group commit")
    parser.add_argument("--batch", type=int, default=64, help="bookings per fold batch")
    args = parser.parse_args()
    with bench_database("bench_ceiling") as url:
        run(args, url)


if __name__ == "__main__":
    main()
