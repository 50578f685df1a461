"""The auditor's view of the write side: stored history, time travel, and verification."""
