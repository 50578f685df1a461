"""Request and response bodies: snake_case, money as decimal strings, aware ISO 8601 times."""

from query_api.schemas.accounts import (
    PasswordChangeIn,
    SignupIn,
    TokenOut,
    UserCreateIn,
    UserOut,
    UserPage,
)
from query_api.schemas.bookings import BookIn, BookingOut, BookingPage, CheckInOut, TicketOut
from query_api.schemas.common import EventStatus, Moment, Money, Price
from query_api.schemas.events import (
    CategoryIn,
    CategoryOut,
    CategorySet,
    EventChanged,
    EventCreate,
    EventOut,
    EventPage,
    EventUpdate,
)
from query_api.schemas.ops import (
    EventStats,
    HealthOut,
    ProjectionStatus,
    SalesDay,
    StatsOut,
    StatsTotals,
)

__all__ = [
    "BookIn",
    "BookingOut",
    "BookingPage",
    "CategoryIn",
    "CategoryOut",
    "CategorySet",
    "CheckInOut",
    "EventChanged",
    "EventCreate",
    "EventOut",
    "EventPage",
    "EventStats",
    "EventStatus",
    "EventUpdate",
    "HealthOut",
    "Moment",
    "Money",
    "PasswordChangeIn",
    "Price",
    "ProjectionStatus",
    "SalesDay",
    "SignupIn",
    "StatsOut",
    "StatsTotals",
    "TicketOut",
    "TokenOut",
    "UserCreateIn",
    "UserOut",
    "UserPage",
]
