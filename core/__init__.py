"""Shared plumbing for both sides: typed settings and database engines."""
