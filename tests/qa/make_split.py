"""Split the corpus documents into a tuning set and a locked test set (run once; issue 17).

    .venv/bin/python -m tests.qa.make_split > tests/qa/split.yaml

Seeded random choice of 9 of the 27 corpus documents for the locked set; the rest tune.
The five sample plans form a third set, "samples": they were tuned on before, so their new
questions are reported on their own and never count as unseen.
"""

from __future__ import annotations

import random

from tests.qa.corpus_eval import load_documents

SEED = 17
LOCKED = 9


def main() -> None:
    """Print the split as YAML."""
    docs = load_documents()
    corpus = sorted(k for k, d in docs.items() if not d.sample)
    locked = sorted(random.Random(SEED).sample(corpus, LOCKED))
    tuning = [k for k in corpus if k not in locked]
    samples = sorted(k for k, d in docs.items() if d.sample)
    print(f"# made by tests/qa/make_split.py (seed {SEED}); do not edit by hand")
    for name, keys in (("tuning", tuning), ("locked", locked), ("samples", samples)):
        print(f"{name}: [{', '.join(keys)}]")


if __name__ == "__main__":
    main()
