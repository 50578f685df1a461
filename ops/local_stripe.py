"""`python -m ops.local_stripe --port N`: localstripe, a stateful Stripe API for development and
the tests, on 127.0.0.1 only (its own command listens on every interface).

It serves Stripe's HTTP API under `/v1/`, a Stripe.js for the browser at `/js.stripe.com/v3/`,
and sends signed webhooks to the URLs set with `POST /_config/webhooks/{id}`. Its data live in
memory: nothing is read back from an earlier run.

Stripe's documented decline cards, and cards whose expiry has passed, are refused here when the
card is entered (a token or a PaymentMethod made), with Stripe's error: localstripe itself
declines most of them only once attached to a customer, and takes any expiry from 2017 on, so a
buyer trying them here would have paid. Stripe declines the decline cards later, at the
payment; the buyer reads the same error at the same step of the checkout.
"""

import argparse
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from aiohttp import web
from localstripe.resources import store
from localstripe.server import app

# Stripe's test cards that decline, and what Stripe says of each (docs.stripe.com/testing).
DECLINED: dict[str, tuple[str, str | None, str]] = {
    "4000000000000002": ("card_declined", "generic_decline", "Your card was declined."),
    "4000000000009995": ("card_declined", "insufficient_funds",
                         "Your card has insufficient funds."),
    "4000000000009987": ("card_declined", "lost_card", "Your card was declined."),
    "4000000000009979": ("card_declined", "stolen_card", "Your card was declined."),
    "4000000000000069": ("expired_card", None, "Your card has expired."),
    "4000000000000127": ("incorrect_cvc", None, "Your card's security code is incorrect."),
    "4000000000000119": ("processing_error", None, "An error occurred while processing your "
                                                   "card. Try again in a little bit."),
}
CARD_ENTERED = ("/v1/tokens", "/v1/payment_methods")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def card_refusal(form: Mapping[str, Any], today: date) -> dict[str, Any] | None:
    """Stripe's card error for a card entered with these fields (`card[number]`, ...), None
    when Stripe would take it."""
    number = str(form.get("card[number]", "")).replace(" ", "")
    if number in DECLINED:
        code, decline_code, message = DECLINED[number]
        error = {"type": "card_error", "code": code, "message": message}
        return error | ({"decline_code": decline_code} if decline_code else {})
    try:
        month, year = int(form.get("card[exp_month]", "")), int(form.get("card[exp_year]", ""))
    except ValueError:
        return None  # no expiry given, or none readable: localstripe's own checks answer
    year += 2000 if year < 100 else 0
    if year < today.year:
        return {"type": "card_error", "code": "invalid_expiry_year", "param": "exp_year",
                "message": "Your card's expiration year is invalid."}
    if year == today.year and month < today.month:
        return {"type": "card_error", "code": "invalid_expiry_month", "param": "exp_month",
                "message": "Your card's expiration month is invalid."}
    return None


@web.middleware
async def declines_as_stripe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A decline card or a passed expiry, entered: refused with Stripe's 402 card error."""
    if request.method == "POST" and request.path in CARD_ENTERED:
        refusal = card_refusal(await request.post(), datetime.now(UTC).date())
        if refusal is not None:
            return web.json_response({"error": refusal}, status=402)
    return await handler(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    # localstripe pickles its whole store to the fixed file /tmp/localstripe.pickle on every
    # write (its own command reads it back on start): a cost that grows with each payment, and
    # every write fails where another user owns that file. This process keeps its data in
    # memory only: the one behaviour of the library changed, on the store this process serves.
    store.dump_to_disk = lambda: None
    app.middlewares.append(declines_as_stripe)  # inside localstripe's own: after its key check
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
