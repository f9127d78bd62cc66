"""The explicit JOBS list: each schedule kind and the job that runs one occurrence of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jobs import checkin_prompts, digest, nudges, quizzes, reminders
from jobs.base import JobContext

Job = Callable[[JobContext], Awaitable[int]]

JOBS: dict[str, Job] = {
    "reminder": reminders.run,
    "quiz": quizzes.run,
    "checkin": checkin_prompts.run,
    "nudge": nudges.run,
    "digest": digest.run,
}
