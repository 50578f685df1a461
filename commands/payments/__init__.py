"""The payment provider port (`provider.py`), its adapters (`stripe/`, `in_memory.py`), and the
registry that picks the one set up (`registry.py`)."""
