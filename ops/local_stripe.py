"""`python -m ops.local_stripe --port N`: localstripe, a stateful Stripe API for development and
the tests, on 127.0.0.1 only (its own command listens on every interface).

It serves Stripe's HTTP API under `/v1/`, a Stripe.js for the browser at `/js.stripe.com/v3/`,
and sends signed webhooks to the URLs set with `POST /_config/webhooks/{id}`. Its data live in
memory: nothing is read back from an earlier run.
"""

import argparse
import logging

from aiohttp import web
from localstripe.resources import store
from localstripe.server import app


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
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
