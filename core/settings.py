"""One typed settings object, read from the environment (and `.env`)."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core import secretfile
from core.personal_data import keyring
from core.timezones import is_known_zone

ROOT = Path(__file__).resolve().parent.parent
MIN_KEY_CHARS = 32
DEV_SECRET = secretfile.PLACEHOLDER  # the test settings only, on a throwaway SQLite database


# One or more rates, e.g. "60/minute;600/hour" or "5/10 seconds".
_RATES = r"^\d+/(\d+ )?(second|minute|hour|day)s?(;\d+/(\d+ )?(second|minute|hour|day)s?)*$"
# How a dual-stack listener shows an IPv4 client: trusting these is trusting IPv4 addresses.
_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_EVERYONE = ("TRUSTED_PROXIES: {what} would let every client name its own address in "
             "X-Forwarded-For and so pass every per-address limit, or exhaust a victim's; "
             "list the addresses or networks of your proxies only")


def _proxy_network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """An address or a network, written as uvicorn matches it (else it never would)."""
    if entry == "*":
        raise ValueError(_EVERYONE.format(what='"*"'))
    try:
        network = ipaddress.ip_network(entry)
    except ValueError as exc:
        raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or a network such "
                         f"as 10.0.0.0/8 ({exc})") from None
    if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_IPV4_MAPPED):
        mapped = network.network_address.ipv4_mapped
        return ipaddress.IPv4Network((str(mapped), network.prefixlen - 96))
    return network


def _proxies_not_everyone(entries: list[str]) -> list[str]:
    """Refuse a list of proxies that covers every IPv4 or every IPv6 address, together."""
    networks = [_proxy_network(entry) for entry in entries]
    v4 = [n for n in networks if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in networks if isinstance(n, ipaddress.IPv6Network)]
    for version, family in (("IPv4", ipaddress.collapse_addresses(v4)),
                            ("IPv6", ipaddress.collapse_addresses(v6))):
        if any(network.prefixlen == 0 for network in family):
            raise ValueError(_EVERYONE.format(what=f"trusting every {version} address"))
    return entries


class Settings(BaseSettings):
    """Every knob of the system; `.env.example` lists them all."""

    # Errors name the setting, never echo the input: it holds SECRET_KEY and ADMIN_PASSWORD.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{ROOT / 'data' / 'ledger.db'}"
    celery_broker_url: str | None = None
    celery_namespace: str = "ledger"
    # JWT signing secret. Unset: the test settings on SQLite in the temporary folder (or in
    # memory) use DEV_SECRET, the embedded default its own data/secret-key (made once), anything
    # else has none and the API refuses to start.
    secret_key: str = Field(default="", repr=False)
    # Wraps each person's data key (core/personal_data/): base64 of 32 random bytes, the same in
    # the API and the workers, never in the database. The old keys only unwrap (a rotation:
    # `python -m ops.personal_data rewrap`). Unset: the test settings on a throwaway database use
    # a public placeholder, the embedded default its own data/personal-data-key (made once),
    # anything else has none and the API refuses to start.
    personal_data_key: str = Field(default="", repr=False)
    personal_data_old_keys: list[str] = Field(default=[], repr=False)
    # Years an invoice keeps its erased buyer's details, counted from the end of the calendar
    # year it was issued in (the law's retention of accounting records); then the retention
    # tick destroys their invoice key (workers/invoice_retention.py).
    invoice_retention_years: int = Field(default=10, ge=0, le=30)
    # How often the scheduler forgets the buyers past their organizers' retention
    # (workers/retention.py).
    retention_interval_seconds: float = Field(default=3600.0, gt=0, le=86400)
    access_token_minutes: int = Field(default=60, ge=1)
    admin_email: str | None = None
    admin_password: str | None = None
    cors_origins: list[str] = []
    # The edge (query_api/service/edge.py). auto: docs and /metrics on unless production, where
    # /metrics is served only behind METRICS_TOKEN (Authorization: Bearer <token>).
    api_docs: Literal["auto", "on", "off"] = "auto"
    metrics: Literal["auto", "on", "off"] = "auto"
    metrics_token: str = Field(default="", repr=False)
    # Strict-Transport-Security on answers served over https (0: never).
    hsts_seconds: int = Field(default=31_536_000, ge=0)
    # Proxies whose X-Forwarded-For/-Proto are believed: addresses or networks, never all of
    # them ("*", 0.0.0.0/0, ::/0): the settings refuse those (`_proxies_not_everyone`).
    trusted_proxies: list[str] = []
    # How long an API process may reuse a signed-in user's row (role, name) between requests.
    # Off by default: a role changed in the database (a demoted admin) then counts at once.
    user_cache_seconds: float = Field(default=0.0, ge=0)
    # Abuse limits: request body size; failed logins per account and client address.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    # Requests to /api/auth/* counted before any password is checked, per client address (an
    # IPv6 /64) and signups per address, shared through Redis with a broker. No count in
    # total: the hashing below bounds what a flood costs (query_api/auth/rate_limits.py says why).
    # The notation of the `limits` library: "60/minute;600/hour" is both, each a moving window.
    auth_rate_per_ip: str = Field(default="60/minute;600/hour", pattern=_RATES)
    signup_rate_per_ip: str = Field(default="30/hour", pattern=_RATES)
    # Password hashes (argon2id: memory-hard, slow by design) computed at once per API process,
    # and how long a sign-in waits for its turn before 503 AUTH_BUSY.
    auth_hash_concurrency: int = Field(default=2, ge=1)
    auth_hash_wait_seconds: float = Field(default=2.0, ge=0)
    # Write side.
    lock_timeout_seconds: int = Field(default=5, ge=1)
    event_queue_wait_seconds: float = Field(default=30.0, gt=0)
    # Booking queues per API process (at most DB_POOL_SIZE). An event's bookings always go to
    # the same one; each commits one group at a time, its events' bookings in one transaction.
    # Fewer: larger groups, less CPU per booking (bench/README.md); more: a group waiting on
    # another process's lock of one event holds up fewer others.
    commit_shards: int = Field(default=1, ge=1, le=32)
    command_max_attempts: int = Field(default=30, ge=1)
    snapshot_interval: int = Field(default=200, ge=10)
    # Seals snapshots (HMAC): the API and the workers need the same one. Unset: derived from
    # SECRET_KEY. Neither: no snapshot is taken or used (commands.store.snapshot_seal).
    snapshot_key: str = Field(default="", repr=False)
    # Warm Event aggregates kept per process (`commands.store.aggregate_cache`): counts only,
    # a few KB each.
    aggregate_cache_size: int = Field(default=1000, ge=0)
    max_tickets_per_booking: int = Field(default=50, ge=1)
    # The venue's IANA time zone of an event created without one (clients from before zones).
    default_timezone: str = "UTC"
    # Read side.
    projection_batch_size: int = Field(default=500, ge=1)
    # Partitions of each read model's catch-up, split by stream (projections/partitions.py):
    # each its own tracking row, advanced by any worker, several at once. A deployment's
    # count changes only through `ledger repartition` (docs/operations.md).
    projection_partitions: int = Field(default=1, ge=1, le=64)
    # Shortest time between two projection wake-ups, whichever of the processes committing
    # sends them (`workers.wake_slots`; a process's own when Redis is not there). The first commit
    # after a pause wakes the workers at once; under sustained load the commits of this long
    # go in one wake-up, so the workers make bigger batches (less CPU per booking) and the
    # read tables trail by up to this much more.
    projection_wake_gap_seconds: float = Field(default=0.1, ge=0, le=1)
    # Processes a rebuild fills its tables with on PostgreSQL (streams split between them).
    rebuild_processes: int = Field(default=2, ge=1, le=32)
    read_wait_max_seconds: float = Field(default=5.0, ge=0)
    # PostgreSQL streaming replicas of DATABASE_URL that serve the API's reads of the read
    # models (query_api/reads/replicas.py): a JSON list of URLs, as the API's role connects.
    # A read naming a position goes to one that replayed it, after at most
    # READ_REPLICA_WAIT_SECONDS, else to the primary; one naming none, to one whose replay is
    # at most READ_REPLICA_MAX_LAG_SECONDS behind. Each API process reads each replica's
    # positions and lag every READ_REPLICA_CHECK_SECONDS.
    read_database_urls: list[str] = Field(default=[], repr=False)  # URLs may hold passwords
    read_replica_wait_seconds: float = Field(default=0.5, ge=0, le=10)
    read_replica_max_lag_seconds: float = Field(default=5.0, ge=0)
    read_replica_check_seconds: float = Field(default=1.0, gt=0, le=60)
    # Reads waiting for a min_position at once, per API process (over: 503 TOO_MANY_WAITERS).
    read_waiters_max: int = Field(default=500, ge=1)
    # Live streams (SSE) open per client address and per API process (over: 429).
    sse_max_per_client: int = Field(default=10, ge=1)
    sse_max_total: int = Field(default=1000, ge=1)
    # Verify runs and exports read the whole store. Runs a user may start in an hour (one runs
    # at a time, whoever asks; over: 429); exports streaming at once per API process, per user
    # and in total (over: 429).
    verify_runs_per_user_per_hour: int = Field(default=10, ge=1)
    # Each reconciliation run lists the provider's records for its period (its API's quota).
    reconciliation_runs_per_user_per_hour: int = Field(default=10, ge=1)
    exports_max_per_user: int = Field(default=2, ge=1)
    exports_max_total: int = Field(default=4, ge=1)
    beat_interval_seconds: float = Field(default=2.0, gt=0)
    health_max_lag_events: int = Field(default=1000, ge=0)
    # Signed tree heads (projections/proofs/signing_keys.py). The signer's Ed25519 private key
    # as PEM or
    # base64 of its 32 bytes, or a file holding it (made once, mode 0600, if missing): only the
    # signer (the embedded process, or the workers) is given one. Neither: the embedded default
    # keeps one beside its database (data/checkpoint-key.pem); on PostgreSQL a worker refuses
    # to start without one.
    checkpoint_key: str = Field(default="", repr=False)
    checkpoint_key_file: str = ""
    # The public keys heads are verified with, besides the signer's own: base64 of the 32 raw
    # bytes or PEM, each optionally "@<ISO time>" when it was rotated out (heads it signed
    # later are refused). Trust comes from here, never from the database's copy.
    checkpoint_public_keys: list[str] = []
    # Every head signed is also appended here (JSON lines), to ship elsewhere. Unset: beside
    # the key file, checkpoints.jsonl (data/checkpoints.jsonl when the key is given inline).
    checkpoint_log_file: str = ""
    # How often the signer signs a head while events are written.
    checkpoint_interval_seconds: float = Field(default=60.0, gt=0)
    # How often the scheduler (beat, or the embedded process's) completes the events that
    # are over: each within this long of its end.
    completion_interval_seconds: float = Field(default=30.0, gt=0, le=60)
    # How often the scheduler (beat, or the embedded process's own) expires the holds due and
    # offers the seats that came back on sale to the waiting lines (workers/holds.py).
    hold_interval_seconds: float = Field(default=2.0, gt=0, le=60)
    # Webhooks (workers/webhooks/): how often the scheduler (beat, or the embedded process's
    # own) fans the log out to the endpoints and sends what is due.
    webhook_interval_seconds: float = Field(default=2.0, gt=0, le=60)
    # Payments (workers/stale_payments.py): a payment still being made this long after it
    # began is asked of the provider and settled, how often they are looked for.
    stale_payment_seconds: float = Field(default=300.0, ge=60)
    stale_payment_interval_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Private, loopback, link-local... addresses as webhook targets: only when set to true, in
    # every environment (workers/webhooks/address_guard.py).
    webhook_allow_private: bool = False
    # Active endpoints one owner may have; replays of one endpoint within any hour; days a
    # delivered or failed delivery stays in the log (pending ones stay until sent).
    webhook_max_endpoints_per_owner: int = Field(default=10, ge=1, le=1000)
    webhook_max_replays_per_hour: int = Field(default=10, ge=1, le=1000)
    webhook_delivery_retention_days: int = Field(default=30, ge=1, le=3650)
    # Each attempt's connect and read timeouts; attempts per delivery before it is marked
    # failed; the wait after the first failure, doubled after each, never over the cap.
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    webhook_max_attempts: int = Field(default=12, ge=1, le=100)
    webhook_retry_base_seconds: float = Field(default=1.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=300.0, gt=0)
    # The whole of one attempt (resolving, connecting, sending, the answer's status and
    # headers), however slowly the receiver answers: past it the attempt has failed. It also
    # bounds a sending tick and so the webhooks worker's task time limits.
    webhook_deadline_seconds: float = Field(default=10.0, gt=0, le=60)
    # How much lower the outbound worker's processes run (`nice`, 0-19) than the API and the
    # projections' workers on the same cores: an on-sale's bookings go first, its mail and
    # webhooks catch up after (workers/webhooks/worker.py). 0: the same priority.
    outbound_niceness: int = Field(default=10, ge=0, le=19)
    # An endpoint whose every attempt failed for this long is disabled, with the reason shown
    # to its owner (a replay enables it again).
    webhook_disable_after_seconds: float = Field(default=86400.0, gt=0, le=30 * 86400)
    # Keys that seal endpoint secrets at rest (workers/webhooks/secret_box.py), each at least
    # MIN_KEY_CHARS random characters (`python -m ops.webhook_secrets new-key`): the first
    # seals, any opens. The API and the workers need the same. Unset: SECRET_KEY.
    webhook_secret_keys: list[str] = Field(default=[], repr=False)
    # Messages to buyers (workers/mail/): with no SMTP host each message is written as a .eml
    # file into the outbox folder (relative to the checkout unless absolute) instead of sent.
    # SMTP_TLS: none (plain), starttls (upgrade after connecting), tls (TLS from the start).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = Field(default=None, repr=False)
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    # Each SMTP session's connect and per-command timeout.
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    mail_from: str = "Booking ledger <tickets@localhost>"
    mail_outbox_dir: str = "data/outbox/"
    # How often the scheduler records the log's new messages and sends what is queued; tries
    # of a message the server did not take (it was down, or answered "try later") before it is
    # marked failed; resends of a booking's confirmation one booking may ask for within an hour.
    mail_interval_seconds: float = Field(default=2.0, gt=0, le=60)
    mail_max_attempts: int = Field(default=5, ge=1, le=50)
    mail_resends_per_hour: int = Field(default=3, ge=1, le=100)
    # Bounces: the envelope sender (MAIL FROM, the Return-Path a receiving server sends its
    # delivery reports to; MAIL_FROM's address unless set), and the bearer token with which an
    # MTA or a mailbox poller may post them to `POST /api/mail/bounces` (admins always may).
    mail_bounce_address: str | None = None
    mail_bounce_token: str = Field(default="", repr=False)
    # Card payments through Stripe (commands/payments/): with a secret key set, a paid
    # category is sold only through a hold paid with `POST /api/holds/{id}/payment`. The
    # webhook's signing secret verifies `POST /api/payments/stripe/webhook`; the publishable
    # key is the browser's (Stripe.js). `stripe_api_base` points the official client at
    # another Stripe API (localstripe in the tests and with `PAYMENTS=localstripe`).
    stripe_api_key: str | None = Field(default=None, repr=False)
    stripe_webhook_secret: str | None = Field(default=None, repr=False)
    stripe_publishable_key: str | None = None
    stripe_api_base: str | None = None
    # Each request to the provider (to connect, and for its answer; the client retries a failed
    # one twice); past it, a payment is settled by its webhook or when asked again.
    stripe_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    sql_echo: bool = False
    # Connections per process, for the read tables and for the event store each.
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)

    _secret_key_file: Path | None = PrivateAttr(default=None)

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, entries: list[str]) -> list[str]:
        """Refuse "*" and any networks that cover every address (at startup, not per request)."""
        return _proxies_not_everyone(entries)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        """An IANA name, refused at startup rather than on the first event created."""
        if not is_known_zone(name):
            raise ValueError("DEFAULT_TIMEZONE must be an IANA time zone name, "
                             "such as Europe/London or UTC")
        return name

    @field_validator("webhook_secret_keys")
    @classmethod
    def _long_keys(cls, keys: list[str]) -> list[str]:
        """Each long enough to be random (at startup, not at the first send)."""
        if any(len(key) < MIN_KEY_CHARS for key in keys):
            raise ValueError(f"each key must have at least {MIN_KEY_CHARS} random characters "
                             "(python -m ops.webhook_secrets new-key)")
        return keys

    @model_validator(mode="after")
    def _replicas_of_postgres(self) -> "Settings":
        """Replicas are PostgreSQL streaming replicas of a PostgreSQL primary."""
        if self.read_database_urls and not self.is_postgres:
            raise ValueError("READ_DATABASE_URLS needs a PostgreSQL DATABASE_URL")
        for number, url in enumerate(self.read_database_urls, start=1):
            try:
                backend = make_url(url).get_backend_name()
            except ArgumentError:
                backend = None
            if backend != "postgresql":  # the URL itself is never echoed: it may hold a password
                raise ValueError(f"READ_DATABASE_URLS: URL {number} is not a PostgreSQL URL")
        return self

    @model_validator(mode="after")
    def _stripe_complete(self) -> "Settings":
        """A secret key needs the webhook's signing secret (else every webhook is refused) and
        the publishable key (else no browser can pay): refused at startup, not at the first
        payment."""
        if self.stripe_api_key and not (self.stripe_webhook_secret
                                        and self.stripe_publishable_key):
            raise ValueError("STRIPE_API_KEY needs STRIPE_WEBHOOK_SECRET and "
                             "STRIPE_PUBLISHABLE_KEY too (docs/payments.md)")
        return self

    @model_validator(mode="after")
    def _resolve_secret_key(self) -> "Settings":
        """Refuse the placeholder outside throwaway test databases, short secrets outside
        tests; read data/secret-key."""
        self.secret_key, self._secret_key_file = secretfile.resolve(
            self.secret_key, self.environment, self.database_url)
        return self

    @model_validator(mode="after")
    def _resolve_personal_data_key(self) -> "Settings":
        """A well-formed key, or the embedded default's own; refused when malformed."""
        self.personal_data_key = secretfile.resolve_personal_key(
            self.personal_data_key, self.environment, self.database_url)
        keys = [self.personal_data_key] if self.personal_data_key else []
        for key in (*keys, *self.personal_data_old_keys):
            keyring.parse(key)
        return self

    @property
    def secret_key_file(self) -> Path | None:
        """The file the secret was read from (the embedded default), None when SECRET_KEY is set."""
        return self._secret_key_file

    @property
    def payments_required(self) -> bool:
        """Whether a paid category is sold only against a payment (a provider is set up)."""
        return bool(self.stripe_api_key)

    @property
    def is_postgres(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "postgresql"

    @property
    def is_eager(self) -> bool:
        """Without a broker, Celery tasks run in-process right after each command."""
        return not self.celery_broker_url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
