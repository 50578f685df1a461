"""The persons' data keys (`core/personal_data/`).

    python -m ops.personal_data new-key   # a key for PERSONAL_DATA_KEY
    python -m ops.personal_data rewrap    # every live data key wrapped under PERSONAL_DATA_KEY

To rotate: put the new key in PERSONAL_DATA_KEY and the old one in PERSONAL_DATA_OLD_KEYS, for
the API and the workers; run `rewrap`; then drop the old key. The personal data itself is never
re-encrypted: only the persons' keys are wrapped anew, so the log and its proofs do not change.
"""

import argparse
import sys

from core.personal_data.keyring import KeyUnavailable, new_key
from core.personal_data.vault import personal_data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("new-key", "rewrap"))
    args = parser.parse_args()
    if args.action == "new-key":
        print(new_key())
        return 0
    try:
        done = personal_data().rewrap()
    except KeyUnavailable as exc:
        print(f"not rewrapped: {exc}", file=sys.stderr)
        return 1
    print(f"rewrapped {done} data key(s) under the newest key")
    return 0


if __name__ == "__main__":
    sys.exit(main())
