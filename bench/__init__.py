"""Benchmarks: each prints JSON; results are summarised in BENCHMARKS.md."""
