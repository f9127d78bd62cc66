"""The explicit JOBS list: each schedule kind and the job that runs one occurrence of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jobs import checkin_prompts, content_expiry, digest, nudges, quizzes, reminders
from jobs.base import JobContext, Preparation

Job = Callable[[JobContext], Awaitable[int]]
Prepare = Callable[[Preparation], Awaitable[object]]

JOBS: dict[str, Job] = {
    "reminder": reminders.run,
    "quiz": quizzes.run,
    "checkin": checkin_prompts.run,
    "nudge": nudges.run,
    "digest": digest.run,
    "content_expiry": content_expiry.run,
}

# Jobs with a prepare step, run before the occurrence's transaction; its result is
# `JobContext.prepared`.
PREPARE: dict[str, Prepare] = {
    "digest": digest.prepare,
}
