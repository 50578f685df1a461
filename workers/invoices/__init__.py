"""Invoices: the process manager that issues them, and their documents (PDF and XML)."""
