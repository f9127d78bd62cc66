"""Calibrated confidence: the probability that the best candidate answers the question.

A logistic regression over a few features of the ranking (the candidate's coverage score,
its margin over the runner-up, whether it is a parser fact of the asked kind, ...). The
coefficients are fitted on the tuning question set only (tests/qa/, split by document)
with `bench/fit_confidence.py`; refit them and paste the output here after changing the
ranking. Pure Python at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FEATURES = (
    "confidence",  # coverage score of the best candidate (0..1+)
    "margin",  # its lead over the best different candidate
    "fact",  # a parser fact (header, basis, duty...) rather than a passage
    "intent_match",  # the question asks a kind (when, who...) and the answer is of that kind
    "asks_kind",  # the question asks a kind at all
    "named",  # the question names the plan by its number
    "law",  # the candidate is a law item, not a plan
    "topic_share",  # share of the question's weight that is topic (not cue/generic)
    "subject_covered",  # share of the topic beyond the plan's name found in the candidate
)

# Fitted by bench/fit_confidence.py on the tuning set (see BENCHMARKS.md).
COEFFICIENTS = (1.994, 0.896, 1.105, 0.270, -0.597, 0.051, -0.552, -0.272, 1.971)
INTERCEPT = -2.300

ANSWER = 0.45  # at or above: answer with the citation (chosen on the tuning set's table)
SUGGEST = 0.3  # at or above: "Có phải ý anh/chị là…" with the best candidate and two more


def probability(features: Sequence[float]) -> float:
    """P(the best candidate is a right answer) under the fitted model."""
    z = INTERCEPT + sum(c * x for c, x in zip(COEFFICIENTS, features, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
