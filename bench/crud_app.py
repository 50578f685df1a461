"""The baseline: a plain CRUD booking service, written the usual way, over the same PostgreSQL.

One row per event with a `sold` counter; a booking locks that row (`SELECT … FOR UPDATE`),
checks the capacity, bumps the counter and inserts the booking in one transaction. It takes
the same bearer tokens as the ledger (same secret, same `users` table), so both do the same
per-request authentication. Run it as `uvicorn bench.crud_app:app` with DATABASE_URL set.
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID, uuid4

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, ForeignKey, Integer, String, create_engine, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class CrudEvent(Base):
    __tablename__ = "crud_events"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)


class CrudBooking(Base):
    __tablename__ = "crud_bookings"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    event_id: Mapped[UUID] = mapped_column(ForeignKey("crud_events.id"), index=True)
    user_id: Mapped[UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def database_url() -> str:
    return os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)


engine = create_engine(  # the same pool settings as the ledger's (DB_POOL_SIZE, ...)
    database_url(), pool_size=int(os.environ.get("DB_POOL_SIZE", "5")),
    max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "10")), pool_pre_ping=True,
)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)
SECRET = os.environ.get("SECRET_KEY", "")
app = FastAPI(title="CRUD booking baseline")
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token")


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def current_user(token: Annotated[str, Depends(oauth2)]) -> UUID:
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp"]})
    except jwt.PyJWTError:
        raise HTTPException(401, "invalid token") from None
    # Its own short session: a connection held from here into the route (another thread hop)
    # deadlocks the pool once more requests wait than there are threads.
    with SessionLocal() as session:
        user_id = session.scalar(text("SELECT id FROM users WHERE id = :id"),
                                 {"id": claims["sub"]})
    if user_id is None:
        raise HTTPException(401, "unknown user")
    return UUID(str(user_id))


class BookIn(BaseModel):
    quantity: int = Field(default=1, ge=1, le=50)


class BookingOut(BaseModel):
    id: UUID
    event_id: UUID
    quantity: int
    status: str


@app.post("/api/events/{event_id}/book", status_code=201)
def book(
    event_id: UUID, body: BookIn, user_id: Annotated[UUID, Depends(current_user)],
    session: SessionDep,
) -> BookingOut:
    """Lock the event row, check, count the seats, insert the booking, commit."""
    event = session.scalars(
        select(CrudEvent).where(CrudEvent.id == event_id).with_for_update()
    ).one_or_none()
    if event is None:
        raise HTTPException(404, "no such event")
    if event.sold + body.quantity > event.capacity:
        raise HTTPException(400, "not enough seats")
    event.sold += body.quantity
    booking = CrudBooking(id=uuid4(), event_id=event_id, user_id=user_id,
                          quantity=body.quantity, created_at=datetime.now(UTC))
    session.add(booking)
    session.commit()
    return BookingOut(id=booking.id, event_id=event_id, quantity=body.quantity,
                      status="confirmed")


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
