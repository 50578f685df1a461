"""`python -m ops.signing_key FILE`: the signer's Ed25519 key in FILE (made once, mode 0600, if
missing); prints its public half as CHECKPOINT_PUBLIC_KEYS takes it (base64 of 32 bytes)."""

import sys
from pathlib import Path

from core import checkpoint_key


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ops.signing_key FILE", file=sys.stderr)
        return 2
    print(checkpoint_key.public_text(checkpoint_key.from_file(Path(argv[0])).public_key()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
