"""Plan documents ("Kế hoạch"): load files, parse them, and summarise them."""

from .load import PlanFileError, read_plan_file
from .model import (
    Deadline,
    Passage,
    Period,
    PlanDocument,
    Reference,
    ReportingDuty,
    Responsibility,
    Section,
    Target,
)
from .parse import iter_passages, parse_plans
from .show import format_plan
from .text import fold

__all__ = [
    "Deadline",
    "Passage",
    "Period",
    "PlanDocument",
    "PlanFileError",
    "Reference",
    "ReportingDuty",
    "Responsibility",
    "Section",
    "Target",
    "fold",
    "format_plan",
    "iter_passages",
    "parse_plans",
    "read_plan_file",
]
