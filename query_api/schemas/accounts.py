"""Accounts: sign-up, users and tokens."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from email_validator import validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from core.erased_address import shown_email
from core.languages import LANGUAGES, Language
from query_api.schemas.common import Input, Name, Role


def _email(value: str) -> str:
    """Syntax only (no DNS); `.test` addresses pass, as development and tests use them."""
    found = validate_email(value, check_deliverability=False, test_environment=True)
    return str(found.normalized).lower()


Email = Annotated[
    str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(_email)
]
# As asked: an unknown one is refused by the route with its own code (UNSUPPORTED_LANGUAGE), not
# by the schema's generic VALIDATION_ERROR, so a client can say which field and why.
LanguageAsked = Annotated[str, Field(max_length=35, description=(
    "one of " + ", ".join(f'"{code}"' for code in LANGUAGES)
    + "; another is refused (422 UNSUPPORTED_LANGUAGE)"))]
# Passwords are taken exactly as typed: the login form does not strip them either.
Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=8, max_length=128)]


class SignupIn(Input):
    email: Email
    password: Password
    name: Name
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()\-. ]*$")
    # What the account's messages are written in; left out, English (the UI sends the browser's).
    language: LanguageAsked | None = None


class LanguageIn(Input):
    language: LanguageAsked


class PasswordChangeIn(Input):
    # As typed, like the login form's (a password set before the 8-character minimum too).
    current_password: Annotated[
        str, StringConstraints(strip_whitespace=False, min_length=1, max_length=128)]
    new_password: Password


class UserCreateIn(SignupIn):
    role: Role = "customer"


class RoleIn(Input):
    role: Role


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    email: str | None = Field(description="None once the person is erased (and only then)")
    name: str = Field(description='"erased" once the person is erased')
    phone: str | None
    role: Role
    language: Language

    @field_validator("email")
    @classmethod
    def _no_placeholder(cls, email: str | None) -> str | None:
        # The row of an erased person keeps a made-up address for its uniqueness: never shown.
        return shown_email(email)


class UserPage(BaseModel):
    items: list[UserOut]
    next_cursor: str | None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, no secret
    expires_in: int


class ErasureConfirmIn(Input):
    """The account's password, typed again: deleting an account cannot be undone."""

    password: Annotated[str, StringConstraints(strip_whitespace=False, min_length=1,
                                               max_length=128)]


class ErasureOut(BaseModel):
    """A person forgotten: their key destroyed, the fact recorded (naming no personal data)."""

    person_id: UUID
    by: str = Field(description="who erased them: their own id, an admin's, an organizer's, "
                                "or `retention`")
    reason: Literal["asked_by_them", "asked_of_admin", "asked_of_organizer", "retention"]
    erased_at: datetime
    position: int | None = Field(description="the `PersonErased` fact's position in the log")
