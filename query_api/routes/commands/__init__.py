"""Command routes: every POST, PUT, PATCH and DELETE, each appending domain events through the
write side (`commands.Ledger`) or changing an account; answers carry the write's position."""
