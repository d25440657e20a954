"""What a patient sends to ask for an appointment, validated before anyone stores it.

Why only validation here: storage belongs to the store package, the form to the web and API
packages; all of them call :class:`BookingRequest`, so the rules (a real Singapore phone
number, an existing branch, explicit consent to be contacted) are written once. Error messages
are written for the patient, because the web form shows them as they are.

Preferred times are structured, not free text: a day (or "any") and a part of the day (or
"any"), 1 to 5 of them. Clinic staff can scan and sort them, and there is no free-text field
to fill with personal details; anything else goes in ``notes``. For convenience a slot may
also be given as a string such as ``"saturday morning"`` or ``"any evening"``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from popliteal.clinics.branches import branch_ids

Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "any"]
PartOfDay = Literal["morning", "afternoon", "evening", "any"]

_PHONE_ALLOWED = re.compile(r"\+?[0-9][0-9 \-]*")
_SG_LOCAL = re.compile(r"[3689][0-9]{7}")
_PHONE_HELP = (
    "Please give a Singapore phone number: 8 digits starting with 3, 6, 8 or 9, "
    "for example 9123 4567 or +65 9123 4567."
)


def normalise_sg_phone(raw: str) -> str:
    """``raw`` as E.164 (``+65XXXXXXXX``) if it is a Singapore number, else ValueError.

    Accepted: 8 digits starting 3, 6, 8 or 9, optionally preceded by ``+65`` or ``65``, with
    spaces or hyphens anywhere. ``65`` is read as the country code only when 10 digits are
    given, so a local number such as 6512 3456 is never mangled.
    """
    text = raw.strip()
    if not _PHONE_ALLOWED.fullmatch(text):
        raise ValueError(f"{_PHONE_HELP} Use only digits, spaces, hyphens and a leading +.")
    digits = re.sub(r"[ \-]", "", text)
    if digits.startswith("+"):
        if not digits.startswith("+65"):
            raise ValueError(f"Only Singapore numbers (+65) can be used. {_PHONE_HELP}")
        local = digits[3:]
    elif len(digits) == 10 and digits.startswith("65"):
        local = digits[2:]
    else:
        local = digits
    if len(local) != 8:
        raise ValueError(f"That number has {len(local)} digits, not 8. {_PHONE_HELP}")
    if not _SG_LOCAL.fullmatch(local):
        raise ValueError(f"Singapore numbers start with 3, 6, 8 or 9. {_PHONE_HELP}")
    return f"+65{local}"


_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _control_chars(text: str, allow: str = "") -> list[str]:
    """Control characters, line separators and bidi overrides in ``text`` not in ``allow``.

    Zero-width joiners (also format characters) are allowed: some scripts need them in names.
    """
    return [
        c
        for c in text
        if c not in allow and (unicodedata.category(c) in {"Cc", "Zl", "Zp"} or c in _BIDI_CONTROLS)
    ]


class PreferredTime(BaseModel):
    """One acceptable slot: a day and a part of the day, either may be ``any``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: Day
    part_of_day: PartOfDay

    @model_validator(mode="before")
    @classmethod
    def _from_words(cls, value: Any) -> Any:
        """Accept ``"saturday morning"`` as well as ``{"day": ..., "part_of_day": ...}``."""
        if isinstance(value, str):
            words = value.strip().lower().split()
            if len(words) != 2:
                raise ValueError(
                    "Give a preferred time as a day and a part of the day, "
                    "e.g. 'saturday morning' or 'any evening'."
                )
            return {"day": words[0], "part_of_day": words[1]}
        return value

    def __str__(self) -> str:
        return f"{self.day} {self.part_of_day}"


class BookingRequest(BaseModel):
    """A request to be contacted for an appointment. Validation only; nothing is stored here."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="trimmed; no control characters")
    phone: str = Field(description="Singapore number; normalised to +65XXXXXXXX")
    branch_id: str = Field(description="a branch id, e.g. novena")
    preferred_times: list[PreferredTime] = Field(min_length=1, max_length=5)
    consent_to_contact: bool = Field(description="must be true: we may phone or message you")
    assessment_id: str | None = Field(
        default=None,
        max_length=200,
        description="the assessment's id or token, so the physio can read the summary",
    )
    notes: str | None = Field(default=None, max_length=500)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if _control_chars(value):
                raise ValueError("The name must not contain line breaks or control characters.")
        return value

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: Any) -> Any:
        if isinstance(value, str):
            return normalise_sg_phone(value)
        return value

    @field_validator("branch_id")
    @classmethod
    def _branch(cls, value: str) -> str:
        valid = branch_ids()
        if value not in valid:
            raise ValueError(f"Unknown branch {value!r}; choose one of: {', '.join(valid)}.")
        return value

    @field_validator("preferred_times")
    @classmethod
    def _distinct(cls, value: list[PreferredTime]) -> list[PreferredTime]:
        if len(set(value)) != len(value):
            raise ValueError("Each preferred time should be listed once.")
        return value

    @field_validator("consent_to_contact")
    @classmethod
    def _consent(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(
                "We can only arrange an appointment if you agree that the clinic may contact "
                "you by phone or message."
            )
        return value

    @field_validator("assessment_id", mode="before")
    @classmethod
    def _assessment(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and (_control_chars(value) or any(c.isspace() for c in value)):
                raise ValueError("The assessment id must not contain spaces or control characters.")
        return value

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and _control_chars(value, allow="\n\r\t"):
                raise ValueError("The notes must not contain control characters.")
        return value
