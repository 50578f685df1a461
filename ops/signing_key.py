"""`python -m ops.signing_key FILE`: the signer's Ed25519 key in FILE (made once, mode 0600, if
missing); prints its public half as CHECKPOINT_PUBLIC_KEYS takes it (base64 of 32 bytes)."""

import sys
from pathlib import Path

from projections.proofs import signing_keys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ops.signing_key FILE", file=sys.stderr)
        return 2
    print(signing_keys.public_text(signing_keys.from_file(Path(argv[0])).public_key()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
