"""Sample data, loaded through the commands so the ledger holds a true history."""
