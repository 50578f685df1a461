"""Money taken by hand, behind the payment provider port: a bank transfer quoting a reference,
or the box office (`adapter.py`)."""
