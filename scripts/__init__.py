"""The project's scripts; `unpinned` is imported by the tests too."""
