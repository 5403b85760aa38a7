"""Benchmarks for the platform's infrastructure choices (run with ``python -m bench.<name>``)."""
