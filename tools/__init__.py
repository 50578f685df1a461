"""Stand-alone tools (standard library only)."""
