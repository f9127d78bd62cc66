"""Errors a handler may raise.

UserError
    Shown to the user verbatim (a Vietnamese sentence from the catalog); the
    transaction is rolled back. Any other exception is logged by the router and
    answered with one apology.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; `message` is shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
