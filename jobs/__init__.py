"""The explicit JOBS list: scheduled work, each runnable once from the CLI."""
