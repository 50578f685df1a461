"""The chaos soak: the stack under long load and scheduled faults, checked like Jepsen."""
