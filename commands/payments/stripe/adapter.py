"""Stripe behind the payment provider port, through its official client: a hold's
PaymentIntent made and confirmed on the server, refunds, the signed notices (webhooks) it
sends, and its lists for reconciliation. Stripe's words (`requires_payment_method`,
`payment_intent.succeeded`) end here: the ledger reads the port's.

The same code talks to Stripe itself and to `localstripe` (tests, `PAYMENTS=localstripe`):
only `stripe_api_base` differs. Every call that moves money carries an idempotency key made
from our own ids, so a retried call after a lost answer moves it once.
"""

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import quote, urlsplit
from uuid import UUID

import requests
import stripe
from requests.adapters import HTTPAdapter

from commands.domain.errors import Busy, Conflict, DomainError
from commands.payments.provider import (
    CANCELED,
    DECLINED,
    NEEDS_ACTION,
    PROCESSING,
    SUCCEEDED,
    UNCONFIRMED,
    IntentState,
    Moved,
    Notice,
    tickets_named,
)
from core import error_codes as codes
from core.money import from_minor
from core.settings import Settings

log = logging.getLogger(__name__)
PROVIDER = "stripe"
# Connections kept open to the provider: as many as the API's worker threads that may call it
# at once (anyio's default limit), so none is opened and dropped per call under load.
CONNECTIONS = 40


# The smallest charge Stripe takes, in the currency's minor unit (its "minimum and maximum charge
# amounts", stripe.com/docs/currencies); a currency not listed here is left to Stripe to refuse.
MINIMUM_CHARGE = {
    "USD": 50, "AED": 200, "AUD": 50, "BGN": 100, "BRL": 50, "CAD": 50, "CHF": 50, "CZK": 1500,
    "DKK": 250, "EUR": 50, "GBP": 30, "HKD": 400, "HUF": 17500, "INR": 50, "JPY": 50,
    "MXN": 1000, "MYR": 200, "NOK": 300, "NZD": 50, "PLN": 200, "RON": 200, "SEK": 300,
    "SGD": 50, "THB": 1000,
}


# Stripe's intent statuses in the port's words; `requires_payment_method` is DECLINED after
# a failed attempt (it has a `last_payment_error`), UNCONFIRMED before any.
STATUSES = {"succeeded": SUCCEEDED, "requires_action": NEEDS_ACTION, "processing": PROCESSING,
            "requires_capture": PROCESSING, "requires_confirmation": UNCONFIRMED,
            "canceled": CANCELED}
# The notices that tell an attempt's end: any other type concerns the ledger in nothing.
ENDS = frozenset({"payment_intent.succeeded", "payment_intent.payment_failed"})


class StripeProvider:
    """Stripe's client for one deployment's account (its secret key)."""

    name = PROVIDER
    label = "Card"
    signature_header = "Stripe-Signature"
    books_seats_first = False  # the intent's success books the hold

    def __init__(self, settings: Settings) -> None:
        if not settings.stripe_api_key:
            raise ValueError("STRIPE_API_KEY is not set")
        bases: Any = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        self.client = stripe.StripeClient(
            settings.stripe_api_key, base_addresses=bases, max_network_retries=2,
            http_client=_http_client(settings.stripe_api_base or stripe.api_base,
                                     settings.stripe_timeout_seconds))
        self.webhook_secret = settings.stripe_webhook_secret

    def require_chargeable(self, amount: int, currency: str) -> None:
        """Refuse, before any call, a total the provider would refuse as too small."""
        minimum = MINIMUM_CHARGE.get(currency.upper())
        if minimum is not None and amount < minimum:
            raise Conflict(
                f"Stripe takes no card payment under {from_minor(minimum, currency)} "
                f"{currency.upper()}; this order comes to {from_minor(amount, currency)}",
                code=codes.AMOUNT_TOO_SMALL)

    def start(  # noqa: PLR0913 - the intent's facts
        self, *, hold_id: UUID, attempt: int, amount: int, currency: str, payment_method: str,
        description: str,
    ) -> IntentState:
        """A PaymentIntent for the hold's total with the buyer's payment method, not yet
        confirmed: its id is recorded before any money moves."""
        params: Any = {
            "amount": amount, "currency": currency.lower(), "payment_method": payment_method,
            "metadata": {"hold_id": str(hold_id), "attempt": str(attempt),
                         "order": description[:500]},
        }
        # The payment method in the key: a retry after a lost answer is the same call, another
        # card on the same attempt (a second click) is another (Stripe refuses a key reused
        # with other parameters).
        method = hashlib.sha256(payment_method.encode()).hexdigest()[:16]
        key = f"hold-{hold_id}-attempt-{attempt}-{method}"
        with _provider_errors():
            return _state(self._answer("/v1/payment_intents", **params, idempotency_key=key))

    def confirm(self, intent_id: str) -> IntentState:
        """Confirm the intent on the server with the payment method it was made with; a
        declined card comes back as the intent's state with its `decline`."""
        try:
            with _provider_errors(declines=False):
                return _state(self._answer(f"/v1/payment_intents/{quote(intent_id)}/confirm"))
        except stripe.CardError as exc:
            found = self.look_up(intent_id)
            error = exc.error
            code = (error.decline_code or error.code) if error else None
            message = (error.message if error else None) or str(exc.user_message or exc)
            return IntentState(**{**found.__dict__, "status": DECLINED,
                                  "decline": (code or "card_declined", message)})

    def _answer(self, path: str, **params: Any) -> dict[str, Any]:
        """A POST on the order's path (creating and confirming its intent) read as the JSON it
        answers: the client's typed objects, built field by field, are not needed to read the
        few fields `_state` reads. Its errors are raised as the typed calls raise them."""
        answer: dict[str, Any] = self.client.raw_request("post", path, **params).data
        return answer

    def cancel_quietly(self, intent_id: str) -> None:
        """Cancel an intent that must take no money (a failed attempt's, replaced); one that
        cannot be cancelled any more is left as it is."""
        try:
            with _provider_errors():
                self.client.v1.payment_intents.cancel(intent_id)
        except DomainError as exc:
            log.info("intent %s was not cancelled: %s", intent_id, exc.message)

    def look_up(self, intent_id: str) -> IntentState:
        with _provider_errors():
            return _state(self.client.v1.payment_intents.retrieve(intent_id).to_dict())

    def refund(self, *, intent_id: str, amount: int, key: str,
               tickets: tuple[str, ...] = ()) -> str:
        """Give `amount` (minor unit) of the intent back, the price of `tickets`; the
        refund's id. `key` names it: the idempotency key of the call, and in its metadata
        (`find_refunds`), beside what names its tickets (`tickets_named`)."""
        named = {"ledger_tickets": tickets_named(tickets)} if tickets else {}
        params: Any = {"payment_intent": intent_id, "amount": amount,
                       "metadata": {"ledger_refund": key, **named}}
        with _provider_errors():
            refund = self.client.v1.refunds.create(params=params, options={"idempotency_key": key})
        return str(refund.id)

    def find_refunds(self, *, intent_id: str, prefix: str) -> list[tuple[str, int]]:
        """The id and amount of each of the intent's refunds named with `prefix` that did not
        fail: what earlier tries at one refund made (its tries share their prefix)."""
        params: Any = {"payment_intent": intent_id, "limit": 100}
        with _provider_errors():
            refunds = self.client.v1.refunds.list(params=params)
        found = []
        for refund in refunds.data:
            named = (refund.to_dict().get("metadata") or {}).get("ledger_refund") or ""
            if named.startswith(prefix) and refund.status != "failed":
                found.append((str(refund.id), int(refund.amount)))
        return found

    def settled_between(self, since: datetime,
                        until: datetime) -> tuple[list[Moved], list[Moved]]:
        """The intents and refunds that succeeded, created within [since, until), every page
        of Stripe's lists (newest first), filtered here: localstripe filters no lists."""
        start, end = since.timestamp(), until.timestamp()
        taken, given_back = [], []
        params: Any = {"limit": 100}
        with _provider_errors():
            for found in self.client.v1.payment_intents.list(params=params).auto_paging_iter():
                intent = found.to_dict()
                if start <= intent["created"] < end and intent["status"] == "succeeded":
                    taken.append(Moved(intent["id"], int(intent["amount"]),
                                       str(intent["currency"]).upper()))
            for made in self.client.v1.refunds.list(params=params).auto_paging_iter():
                refund = made.to_dict()
                if start <= refund["created"] < end and refund["status"] == "succeeded":
                    named = (refund.get("metadata") or {}).get("ledger_tickets")
                    given_back.append(Moved(refund["id"], int(refund["amount"]),
                                            str(refund["currency"]).upper(),
                                            refund.get("payment_intent"), named))
        return taken, given_back

    def read_notice(self, payload: bytes, signature: str | None) -> Notice | None:
        """The webhook's event when its signature verifies with the endpoint's secret (else
        INVALID_SIGNATURE); None for a type that tells no attempt's end."""
        if not self.webhook_secret:
            raise DomainError("No webhook signing secret is set (STRIPE_WEBHOOK_SECRET)",
                              code=codes.INVALID_SIGNATURE)
        # Verified as `stripe.Webhook.construct_event` verifies it (its signature over the body,
        # and its age), then read as the JSON it is: the client's typed objects, built field by
        # field for the whole event, are not needed to read the intent's few fields.
        try:
            stripe.WebhookSignature.verify_header(payload, signature, self.webhook_secret,
                                                  stripe.Webhook.DEFAULT_TOLERANCE)
            notice = json.loads(payload)
            obj = notice["data"]["object"]
            if not isinstance(obj, dict) or obj.get("object") != "payment_intent":
                return None
            if notice["type"] not in ENDS:
                return None
            return Notice(id=str(notice["id"]), intent=_state(obj))
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as exc:
            raise DomainError("The webhook's signature does not verify",
                              code=codes.INVALID_SIGNATURE) from exc


def _http_client(base: str, timeout: float) -> stripe.RequestsClient:
    """Stripe's HTTP client on one session for every call and thread: its connections reused,
    and the environment's proxy for the API read once here, where requests would read the
    whole environment again on every call (no cookies kept: the API sets none)."""
    session = requests.Session()
    session.trust_env = False
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    for scheme in ("https://", "http://"):
        session.mount(scheme, HTTPAdapter(pool_connections=1, pool_maxsize=CONNECTIONS))
    proxies = requests.utils.get_environ_proxies(base)
    proxy = proxies.get(urlsplit(base).scheme) or proxies.get("all")
    return stripe.RequestsClient(timeout=timeout, session=session, proxy=proxy)


def _state(intent: dict[str, Any]) -> IntentState:
    metadata = intent.get("metadata") or {}
    hold = metadata.get("hold_id")
    charge = intent.get("latest_charge")
    charge_id = charge if isinstance(charge, str) or charge is None else charge.get("id")
    error = intent.get("last_payment_error")
    decline = None
    if error:
        decline = (str(error.get("decline_code") or error.get("code") or "declined"),
                   str(error.get("message") or "The payment was declined"))
    try:
        hold_id = UUID(hold) if hold else None
    except ValueError:
        hold_id = None
    status = str(intent["status"])
    if status == "requires_payment_method":
        status = DECLINED if decline is not None else UNCONFIRMED
    return IntentState(id=str(intent["id"]), status=STATUSES.get(status, status),
                       client_secret=intent.get("client_secret"), charge_id=charge_id,
                       amount=int(intent["amount"]), currency=str(intent["currency"]).upper(),
                       hold_id=hold_id, decline=decline)


@contextmanager
def _provider_errors(*, declines: bool = True) -> Iterator[None]:
    """The provider unreachable or failing: 503 PROVIDER_UNAVAILABLE (the caller retries); a
    request it refuses or a card it declines: 402 PAYMENT_DECLINED with its message (a
    decline passes through as Stripe's when `declines` is False)."""
    try:
        yield
    except stripe.CardError as exc:
        if not declines:
            raise
        raise DomainError(str(exc.user_message or exc), code=codes.PAYMENT_DECLINED) from exc
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        log.warning("the payment provider failed: %s", exc)
        raise Busy("The payment provider did not answer: try again",
                   code=codes.PROVIDER_UNAVAILABLE) from exc
    except stripe.InvalidRequestError as exc:
        raise DomainError(f"The payment provider refused the request: "
                          f"{exc.user_message or exc}", code=codes.PAYMENT_DECLINED) from exc
