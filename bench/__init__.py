"""Benchmarks: scripts that print figures (run them directly, e.g. `bench/search.py`)."""
