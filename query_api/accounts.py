"""User accounts: the `users` table and the few operations on it."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import String, Uuid, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from commands.errors import Conflict
from core.models import Base, UTCDateTime
from query_api.security import hash_password, verify_password

ROLES = ("customer", "admin", "auditor")


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


def email_taken() -> Conflict:
    return Conflict("An account with this email already exists", code="EMAIL_TAKEN")


def by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.lower()))


def create_user(  # noqa: PLR0913 - an account's fields
    session: Session, *, email: str, password: str, name: str, phone: str | None, role: str
) -> User:
    """Insert a user; a duplicate email is a 409 EMAIL_TAKEN."""
    if by_email(session, email) is not None:
        raise email_taken()
    user = User(
        id=uuid4(),
        email=email.lower(),
        name=name,
        phone=phone,
        role=role,
        password_hash=hash_password(password),
        created_at=datetime.now(UTC),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # a concurrent signup with the same email won the race
        raise email_taken() from None
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = by_email(session, email)
    ok = verify_password(password, user.password_hash if user else None)
    return user if ok else None


def list_users(session: Session, *, after_email: str | None, limit: int) -> list[User]:
    """A page of users ordered by email (keyset on the unique email)."""
    query = select(User).order_by(User.email).limit(limit)
    if after_email is not None:
        query = query.where(User.email > after_email)
    return list(session.scalars(query))


def ensure_admin(session: Session, email: str, password: str) -> bool:
    """Create the first admin unless an account with that email exists."""
    if by_email(session, email) is not None:
        return False
    create_user(
        session, email=email, password=password, name="Administrator", phone=None, role="admin"
    )
    return True
