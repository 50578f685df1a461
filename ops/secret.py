"""`python -m ops.secret`: make the embedded default's signing secret file now, and say where."""

from core.secretfile import MISSING
from core.settings import get_settings


def main() -> None:
    """Make the configured embedded secret file (if SECRET_KEY is not set) and say where it is."""
    settings = get_settings()
    if settings.secret_key_file is not None:
        print(f"signing secret: {settings.secret_key_file} (made once, mode 0600)")
    elif settings.secret_key:
        print("signing secret: SECRET_KEY")
    else:
        raise SystemExit(f"error: {MISSING}")


if __name__ == "__main__":
    main()
