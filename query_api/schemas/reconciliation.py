"""Reconciliation bodies: a run's period, its counts and state, and the problems it found."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.schemas.common import Input, Moment


class ReconciliationRunIn(Input):
    """The period to reconcile, [since, until): by default the 30 days before now."""

    since: Moment | None = Field(default=None, description="the period's start, included "
                                                           "(default: 30 days before `until`)")
    until: Moment | None = Field(default=None, description="the period's end, excluded "
                                                           "(default: now)")


class ReconciliationRunOut(BaseModel):
    id: UUID
    status: Literal["running", "finished", "failed"] = Field(
        description="finished: `problems` says whether both sides agree; failed: the run "
                    "itself stopped (`error` says why: the provider unreachable, or a run "
                    "whose process died)")
    started_at: datetime
    started_by: str = Field(description="the email of who started it")
    finished_at: datetime | None
    since: datetime = Field(description="the period's start, included")
    until: datetime = Field(description="the period's end, excluded")
    ledger_payments: int = Field(description="intents whose success the ledger recorded in "
                                             "the period")
    ledger_refunds: int = Field(description="refunds whose success the ledger recorded")
    provider_payments: int = Field(description="intents the provider lists as succeeded, "
                                               "made in the period")
    provider_refunds: int = Field(description="refunds the provider lists as succeeded")
    matched: int = Field(description="intents and refunds both sides tell alike (id, amount, "
                                     "currency)")
    problems: int = Field(description="disagreements found (GET .../problems pages them)")
    error: str | None = Field(default=None, description="why a failed run stopped")


class ReconciliationRunPage(BaseModel):
    items: list[ReconciliationRunOut] = Field(description="latest first")
    next_cursor: str | None


class ReconciliationProblemOut(BaseModel):
    kind: Literal["payment_only_in_ledger", "payment_only_at_provider",
                  "payment_amount_differs", "refund_only_in_ledger", "refund_only_at_provider",
                  "refund_amount_differs"] = Field(
        description="money on one side only, or another amount on each")
    provider_id: str = Field(description="the PaymentIntent's (pi_…) or refund's (re_…) id at "
                                         "the provider; money only in the ledger: the id it "
                                         "recorded")
    payment_id: str | None = Field(description="the ledger's payment (its stream), when the "
                                               "ledger recorded it")
    intent_id: str | None = Field(description="a refund's PaymentIntent, as either side tells it")
    ledger_amount: str | None = Field(description="as the ledger recorded it, a decimal string "
                                                  "in the currency's unit; null: not recorded")
    provider_amount: str | None = Field(description="as the provider tells it; null: the "
                                                    "provider has no such success")
    currency: str
    message: str


class ReconciliationProblemPage(BaseModel):
    items: list[ReconciliationProblemOut] = Field(description="in the order found: payments, "
                                                              "then refunds, by id")
    next_cursor: str | None
