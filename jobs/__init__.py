"""The explicit JOBS list: each schedule kind and the job that runs one occurrence of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jobs import quizzes, reminders
from jobs.base import JobContext

Job = Callable[[JobContext], Awaitable[int]]

JOBS: dict[str, Job] = {
    "reminder": reminders.run,
    "quiz": quizzes.run,
}
