"""Helpers that suites in several folders import (fixtures are in tests/fixtures/)."""
