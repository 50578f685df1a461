"""User accounts: the `users` table and the few operations on it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, Integer, String, Uuid, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column

from commands.domain.errors import Conflict, DomainError, NotFound
from core import error_codes as codes
from core.db import read_connection, session_scope
from core.erased_address import ERASED_LIKE
from core.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, is_supported
from core.models import Base, UTCDateTime
from core.personal_data.vault import personal_data
from projections.availability import EventOrganizerRow, EventRow
from query_api.auth.credentials import hash_password

ROLES = ("customer", "organizer", "admin", "auditor")


class User(Base):
    """A person or program that signs in; the hash never leaves this table."""

    __tablename__ = "users"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Carried in each token as `ver`; raised by logout and password change, which revokes the
    # tokens issued before (the row is read on every request anyway).
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What the account's messages, tickets and invoices are written in (`core.languages`).
    language: Mapped[str] = mapped_column(String(8), default=DEFAULT_LANGUAGE,
                                          server_default=DEFAULT_LANGUAGE)


def email_taken() -> Conflict:
    return Conflict("An account with this email already exists", code=codes.EMAIL_TAKEN)


def by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.lower()))


def create_user(  # noqa: PLR0913 - an account's fields
    session: Session, *, email: str, password: str, name: str, phone: str | None, role: str,
    language: Language = DEFAULT_LANGUAGE,
) -> User:
    """Insert a user; a duplicate email is a 409 EMAIL_TAKEN, told only after hashing."""
    return add_user(session, email=email, password_hash=hash_password(password), name=name,
                    phone=phone, role=role, language=language)


def add_user(  # noqa: PLR0913 - an account's fields
    session: Session, *, email: str, password_hash: str, name: str, phone: str | None, role: str,
    language: Language = DEFAULT_LANGUAGE,
) -> User:
    """Insert a user whose password is already hashed (409 EMAIL_TAKEN for a duplicate).

    Hashing first makes a taken email answer as slowly as a new one: the 409 itself still says
    that the account exists (see the README on what sign-up reveals).
    """
    if by_email(session, email) is not None:
        raise email_taken()
    user = User(
        id=uuid4(),
        email=email.lower(),
        name=name,
        phone=phone,
        role=role,
        password_hash=password_hash,
        created_at=datetime.now(UTC),
        language=language,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # a concurrent signup with the same email won the race
        raise email_taken() from None
    # Their key, with the account: their first booking reads it, off no writer's path.
    personal_data().make_key(session, str(user.id))
    return user


@dataclass(frozen=True)
class Credentials:
    """What a password check needs of an account, read in a short transaction."""

    id: UUID
    role: str
    token_version: int
    password_hash: str


_CREDENTIALS = select(User.id, User.role, User.token_version, User.password_hash)


def credentials_by_email(email: str) -> Credentials | None:
    """The account's credentials, or None (no account has a control character in its email)."""
    if not email.isprintable():  # PostgreSQL refuses NUL: not an account, not a 500
        return None
    with read_connection() as conn:
        row = conn.execute(_CREDENTIALS.where(User.email == email.lower())).first()
    return Credentials(*row) if row is not None else None


def credentials_by_id(user_id: UUID) -> Credentials | None:
    with read_connection() as conn:
        row = conn.execute(_CREDENTIALS.where(User.id == user_id)).first()
    return Credentials(*row) if row is not None else None


def revoke_tokens(user_id: UUID, password_hash: str | None = None) -> int:
    """Raise the account's token version (and set a new password): the new version.

    One UPDATE: a logout and a password change at once both count, neither is lost.
    """
    values: dict[str, object] = {"token_version": User.token_version + 1}
    if password_hash is not None:
        values["password_hash"] = password_hash
    with session_scope() as session:
        version = session.scalar(
            update(User).where(User.id == user_id).values(values).returning(User.token_version)
            .execution_options(synchronize_session=False))  # no User of this session to update
    if version is None:
        raise NotFound("The account no longer exists", code=codes.USER_NOT_FOUND)
    return int(version)


def starts_with(column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """Case-insensitive prefix match; LIKE's wildcards in the prefix match only themselves."""
    escaped = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(escaped + "%", escape="\\")


def list_users(session: Session, *, after_email: str | None, limit: int,
               role: str | None = None, q: str | None = None) -> list[User]:
    """A page of users ordered by email (keyset on the unique email), of one role if given,
    whose name or email starts with `q` if given (never the address an erased person's row
    keeps: it is shown as none)."""
    query = select(User).order_by(User.email).limit(limit)
    if after_email is not None:
        query = query.where(User.email > after_email)
    if role is not None:
        query = query.where(User.role == role)
    if q:
        query = query.where(or_(starts_with(User.name, q), and_(
            starts_with(User.email, q), User.email.not_like(ERASED_LIKE))))
    return list(session.scalars(query))


def set_role(user_id: UUID, role: str) -> User:
    """Grant or revoke a role: the account's role becomes `role` (404 USER_NOT_FOUND)."""
    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("No such user", code=codes.USER_NOT_FOUND)
        user.role = role
        session.flush()
        session.expunge(user)
        return user


def supported_language(asked: str) -> Language:
    """`asked` if it is a language offered, else 422 UNSUPPORTED_LANGUAGE on the body's field."""
    if is_supported(asked):
        return asked
    refused = DomainError(f"{asked!r} is not a language offered: one of {', '.join(LANGUAGES)}",
                          code=codes.UNSUPPORTED_LANGUAGE)
    refused.where = ("language",)
    raise refused


def set_language(user_id: UUID, language: Language) -> User:
    """The account's messages are written in `language` from now on (404 USER_NOT_FOUND)."""
    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("No such user", code=codes.USER_NOT_FOUND)
        user.language = language
        session.flush()
        session.expunge(user)
        return user


def organizer(user_id: UUID) -> tuple[str, str] | None:
    """(id, name) of the account if it has the organizer role and is not erased, else None:
    an erased person's name is never recorded again (`Ledger.seal_name`)."""
    with read_connection() as conn:
        row = conn.execute(select(User.id, User.name).where(
            User.id == user_id, User.role == "organizer",
            User.email.not_like(ERASED_LIKE))).first()
    return (str(row.id), row.name) if row is not None else None


def public_organizer(session: Session, user_id: UUID) -> tuple[str, str] | None:
    """(id, name) of an organizer, or of any account that runs an event (an admin made it)."""
    runs = select(EventRow.id).where(EventRow.organizer_id == user_id).exists()
    row = session.execute(select(User.id, User.name).where(
        User.id == user_id, (User.role == "organizer") | runs)).first()
    return (str(row.id), row.name) if row is not None else None


def organizers(session: Session, *, after: tuple[str, UUID] | None,
               limit: int, q: str | None = None, every: bool = False) -> list[tuple[UUID, str]]:
    """A page of organizer accounts, (id, name) ordered by name then id, whose name starts with
    `q` if given: those who run an event (as organizer or co-organizer), or `every` one; never
    an erased person's, whom no event can be handed to or shared with (`organizer`)."""
    query = (select(User.id, User.name)
             .where(User.role == "organizer", User.email.not_like(ERASED_LIKE))
             .order_by(User.name, User.id).limit(limit))
    if not every:  # an account merely granted the role is not shown to the public
        runs = select(EventRow.id).where(EventRow.organizer_id == User.id).exists()
        co = select(EventOrganizerRow.event_id).where(EventOrganizerRow.user_id == User.id)
        query = query.where(runs | co.exists())
    if q:
        query = query.where(starts_with(User.name, q))
    if after is not None:
        query = query.where((User.name > after[0]) | ((User.name == after[0])
                                                      & (User.id > after[1])))
    return [(r.id, r.name) for r in session.execute(query)]


def ensure_admin(session: Session, email: str, password: str) -> bool:
    """Create the first admin unless an account with that email exists."""
    if by_email(session, email) is not None:
        return False
    create_user(
        session, email=email, password=password, name="Administrator", phone=None, role="admin"
    )
    return True
