"""The embedded default's signing secret: one random file beside the SQLite database, made once.

`python -m ops.secret` makes it for the configured settings (scripts/run.sh does) and prints
where it is; the API reads the same file (core.settings) when SECRET_KEY is not set.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

NAME = "secret-key"
MIN_LENGTH = 32
# Public, in the repository: only the test settings accept it.
PLACEHOLDER = "dev-insecure-secret-change-me-0123456789"
MISSING = ("SECRET_KEY is not set. Set it to a random value of at least 32 characters, e.g. "
           "python -c 'import secrets; print(secrets.token_urlsafe(48))'. Only the embedded "
           "default (SQLite file, ENVIRONMENT=development) keeps one itself, in data/secret-key.")


def resolve(given: str, environment: str, database_url: str) -> tuple[str, Path | None]:
    """The signing secret, and the file it was read from ("": none, the API refuses to start)."""
    if given:
        if environment != "test" and given == PLACEHOLDER:
            raise ValueError("SECRET_KEY is the public placeholder: unset it (the embedded "
                             "default then makes data/secret-key) or set a random one")
        if environment != "test" and len(given) < MIN_LENGTH:
            raise ValueError(f"SECRET_KEY must be at least {MIN_LENGTH} characters")
        return given, None
    if environment == "test":
        return PLACEHOLDER, None
    path = embedded_path(environment, database_url)
    return (read_or_create(path), path) if path else ("", None)


def embedded_path(environment: str, database_url: str) -> Path | None:
    """Where the embedded default keeps its secret: beside its SQLite file (development only)."""
    url = make_url(database_url)
    if environment != "development" or url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        return None
    return Path(url.database).parent / NAME


def read_or_create(path: Path) -> str:
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
                out.write(secrets.token_urlsafe(48) + "\n")
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)  # a link never replaces a file: theirs is the one
        finally:
            os.unlink(temporary)
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_LENGTH:
        raise ValueError(f"{path} holds fewer than {MIN_LENGTH} characters: delete it to make "
                         "a new one (signed-in users then sign in again), or set SECRET_KEY")
    return secret
