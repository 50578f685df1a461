"""`python -m bench.chaos`: see bench/chaos/runner.py."""

from bench.chaos.runner import main

main()
