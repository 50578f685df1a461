"""Operator tools: the `ledger` command, which may use both the write and the read side."""
