"""Webhook endpoint secrets at rest (`workers/webhooks/secret_box.py`).

    python -m ops.webhook_secrets new-key   # a key for WEBHOOK_SECRET_KEYS
    python -m ops.webhook_secrets reseal    # every secret sealed under the first key

To rotate: put a new key first in WEBHOOK_SECRET_KEYS (the old one after it) for the API and
the workers, run `reseal`, then drop the old key.
"""

import argparse
import sys

from core.settings import get_settings
from workers.webhooks import secret_box


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("new-key", "reseal"))
    args = parser.parse_args()
    if args.action == "new-key":
        print(secret_box.new_key())
        return 0
    try:
        done, unreadable = secret_box.reseal(get_settings())
    except secret_box.SecretUnreadable as exc:
        print(f"not resealed: {exc}", file=sys.stderr)
        return 1
    print(f"resealed {done}; unreadable with these keys: {unreadable}")
    return 1 if unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
