"""Field types every body shares: money as decimal strings, aware UTC times, names."""

from datetime import UTC
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer

Money = Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str)]
Price = Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2)]
Moment = Annotated[AwareDatetime, AfterValidator(lambda d: d.astimezone(UTC))]
Name = Annotated[str, Field(min_length=1, max_length=200)]
CategoryName = Annotated[str, Field(min_length=1, max_length=100)]
Role = Literal["customer", "admin", "auditor"]
EventStatus = Literal["active", "cancelled", "completed"]


class Input(BaseModel):
    """Bodies refuse unknown fields, so a typo never silently falls back to a default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
