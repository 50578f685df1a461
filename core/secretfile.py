"""The embedded default's signing secret: one random file beside the SQLite database, made once.

`python -m ops.secret` makes it for the configured settings (scripts/run.sh does) and prints
where it is; the API reads the same file (core.settings) when SECRET_KEY is not set. The
folder they share is made readable by its owner only, and the database file too: it holds
password hashes, ticket codes and personal data.
"""

import base64
import contextlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

NAME = "secret-key"
MIN_LENGTH = 32
# Public, in the repository: only the test settings accept it, on a throwaway database.
PLACEHOLDER = "dev-insecure-secret-change-me-0123456789"
# The checkout's own files are never throwaway, even in a clone under the temporary folder.
CHECKOUT = Path(__file__).resolve().parents[1]
PLACEHOLDER_REFUSED = (
    "SECRET_KEY is the public placeholder, accepted only by the test settings (ENVIRONMENT=test) "
    "on a throwaway database: SQLite in the temporary folder, or in memory. Unset it (the "
    "embedded default then makes data/secret-key) or set a random one")
MISSING = ("SECRET_KEY is not set. Set it to a random value of at least 32 characters, e.g. "
           "python -c 'import secrets; print(secrets.token_urlsafe(48))'. Only the embedded "
           "default (SQLite file, ENVIRONMENT=development) keeps one itself, in data/secret-key.")


def resolve(given: str, environment: str, database_url: str) -> tuple[str, Path | None]:
    """The signing secret, and the file it was read from ("": none, the API refuses to start).

    The embedded default's folder and database file are made private first, whether or not
    SECRET_KEY is set: they are made here, before anything else of the process writes there.
    """
    make_private(environment, database_url)
    placeholder_allowed = environment == "test" and is_throwaway(database_url)
    if given:
        if given == PLACEHOLDER and not placeholder_allowed:
            raise ValueError(PLACEHOLDER_REFUSED)
        if environment != "test" and len(given) < MIN_LENGTH:
            raise ValueError(f"SECRET_KEY must be at least {MIN_LENGTH} characters")
        return given, None
    if placeholder_allowed:
        return PLACEHOLDER, None
    path = embedded_path(environment, database_url)
    return (read_or_create(path), path) if path else ("", None)


def is_throwaway(database_url: str) -> bool:
    """An SQLite database in memory, or under the temporary folder outside this checkout:
    nothing worth a token."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return False
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        return True
    # Resolved: "/tmp/../home/me/ledger.db" or a link out of the temporary folder is no escape.
    temporary = Path(tempfile.gettempdir()).resolve()
    database = Path(url.database).resolve()
    return database.is_relative_to(temporary) and not database.is_relative_to(CHECKOUT)


def embedded_database(environment: str, database_url: str) -> Path | None:
    """The embedded default's SQLite file (development only; not in memory)."""
    url = make_url(database_url)
    if environment != "development" or url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def embedded_path(environment: str, database_url: str) -> Path | None:
    """Where the embedded default keeps its secret: beside its SQLite file (development only)."""
    database = embedded_database(environment, database_url)
    return None if database is None else database.parent / NAME


def make_private(environment: str, database_url: str) -> None:
    """Make the embedded default's folder (0700) and database file (0600) when missing.

    SQLite would make the file readable by everyone (0644 under the usual umask), and its
    -wal and -shm files take the database file's mode. Existing ones are left as they are:
    the folder may be one the user chose, as their home directory.
    """
    database = embedded_database(environment, database_url)
    if database is None:
        return
    if not database.parent.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # made before, or by another process just now
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


PERSONAL_NAME = "personal-data-key"
# Public, in the repository: seals personal data only in tests on a throwaway database.
PERSONAL_PLACEHOLDER = "dGVzdCBwZXJzb25hbCBkYXRhIGtleSwgcHVibGljISE="
PERSONAL_MISSING = (
    "PERSONAL_DATA_KEY is not set: personal data would be stored in the clear. Set it to base64 "
    "of 32 random bytes (python -m ops.personal_data new-key), the same in the API and the "
    "workers. Only the embedded default (SQLite file, ENVIRONMENT=development) keeps one itself, "
    "in data/personal-data-key.")


def resolve_personal_key(given: str, environment: str, database_url: str) -> str:
    """The wrapping key of personal data ("": none, the API refuses to start): as given, the
    placeholder in tests on a throwaway database, else the embedded default's own file."""
    if given:
        if given == PERSONAL_PLACEHOLDER and not (environment == "test"
                                                  and is_throwaway(database_url)):
            raise ValueError("PERSONAL_DATA_KEY is the public placeholder, accepted only by "
                             "the test settings on a throwaway database")
        return given
    if environment == "test" and is_throwaway(database_url):
        return PERSONAL_PLACEHOLDER
    database = embedded_database(environment, database_url)
    if database is None:
        return ""
    return read_or_create(database.parent / PERSONAL_NAME, make=new_personal_key, min_length=44)


def new_personal_key() -> str:
    """A wrapping key for PERSONAL_DATA_KEY: base64 of 32 random bytes."""
    return base64.b64encode(os.urandom(32)).decode()


def read_or_create(path: Path, *, make: Callable[[], str] | None = None,
                   min_length: int = MIN_LENGTH) -> str:
    """The secret in `path`, written first (random, mode 0600) when the file does not exist.

    The file appears whole or not at all: it is written under a temporary name and linked
    into place, and a link never replaces a file. Two processes starting together both link;
    the second finds the first one's file and uses it, so they agree.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{NAME}-")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write((make or _new_secret)() + "\n")
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)  # a link never replaces a file: theirs is the one
        finally:
            os.unlink(temporary)
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < min_length:
        raise ValueError(f"{path} holds fewer than {min_length} characters: delete it to make "
                         "a new one (signed-in users then sign in again), or set SECRET_KEY")
    return secret


def _new_secret() -> str:
    return secrets.token_urlsafe(48)
