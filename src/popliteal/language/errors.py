"""Input checks for free text, with messages a person can act on.

Why up front: an empty box or a pasted document should get a clear "please write ..."
instead of an empty result that looks like "no findings" (which a reader might take as
reassurance).
"""

from __future__ import annotations

import re

#: Longest text accepted, in characters: a patient's account, not a medical record.
MAX_TEXT_CHARS = 5000


class LanguageInputError(ValueError):
    """The text cannot be read as a description of symptoms; the message says why."""


def validate_text(text: object) -> str:
    """Return ``text`` if it can be read; raise :class:`LanguageInputError` otherwise."""
    if not isinstance(text, str):
        raise LanguageInputError(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise LanguageInputError("the text is empty: please describe the pain in your own words")
    if not re.search(r"\w", text):
        raise LanguageInputError(
            "the text has no words, only punctuation or symbols: please describe the pain "
            "in your own words"
        )
    if len(text) > MAX_TEXT_CHARS:
        raise LanguageInputError(
            f"the text is {len(text)} characters long; the limit is {MAX_TEXT_CHARS}: please "
            "shorten it to the main points (where it hurts, since when, what makes it worse)"
        )
    return text
