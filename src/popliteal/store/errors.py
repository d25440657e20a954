"""The store's exceptions: the API maps each to one HTTP status, so they are few and distinct."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class ConsentRequired(StoreError):
    """Nothing is stored without consent (PDPA): to store an assessment, or to be contacted."""


class NotFound(StoreError):
    """The assessment, booking or user does not exist (or no longer: purged, deleted)."""


class InvalidInput(StoreError, ValueError):
    """A value the tables cannot hold: too long, out of range, not in a fixed vocabulary."""


class UserExists(StoreError):
    """``add_user`` with a username already taken."""


class AnswerConflict(StoreError):
    """``append_answer`` with ``expected_seq`` when another process already wrote that answer.

    Lets a client that retries after a lost response avoid recording the same answer twice.
    """

    def __init__(self, expected_seq: int, actual_seq: int) -> None:
        super().__init__(f"expected answer seq {expected_seq}, next is {actual_seq}")
        self.expected_seq = expected_seq
        self.actual_seq = actual_seq
