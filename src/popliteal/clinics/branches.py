"""The clinic's branches, as the source article lists them.

Why data, not code: the addresses and phone numbers are facts from the article that staff may
need to correct (a branch moves, hours get confirmed); they live in ``data/branches.yaml`` and
are checked here on load, so a typo in a phone number fails loudly instead of reaching a
patient.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from popliteal.clinics._resources import ClinicDataError, read_yaml

_E164_SG = re.compile(r"\+65[3689][0-9]{7}")
_POSTAL = re.compile(r"[0-9]{6}")


class Branch(BaseModel):
    """One branch. ``phone`` is E.164 (for links and dialling); ``phone_as_printed`` is as the
    article prints it (what a patient may recognise)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="e.g. novena")
    name: str = Field(min_length=1)
    address: str = Field(min_length=1)
    postal_code: str = Field(description="6-digit Singapore postal code")
    phone: str = Field(description="E.164, e.g. +6588001830")
    phone_as_printed: str
    hours: str | None = Field(description="opening hours; null while unconfirmed")
    hours_note: str | None = None
    latitude: float = Field(ge=1.1, le=1.5, description="approximate; see coordinates_source")
    longitude: float = Field(ge=103.5, le=104.1)
    coordinates_source: str = Field(min_length=1)
    source: str = Field(description="knowledge source id the facts come from")

    @field_validator("postal_code")
    @classmethod
    def _postal(cls, value: str) -> str:
        if not _POSTAL.fullmatch(value):
            raise ValueError("must be 6 digits")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not _E164_SG.fullmatch(value):
            raise ValueError("must be a Singapore number in E.164 form, e.g. +6588001830")
        return value


class _BranchFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    branches: list[Branch] = Field(min_length=1)


@lru_cache(maxsize=1)
def _branches() -> tuple[Branch, ...]:
    try:
        parsed = _BranchFile.model_validate(read_yaml("branches.yaml"))
    except ValidationError as exc:
        raise ClinicDataError(f"data/branches.yaml is invalid:\n{exc}") from exc
    ids = [b.id for b in parsed.branches]
    if len(set(ids)) != len(ids):
        raise ClinicDataError(f"data/branches.yaml: duplicate branch ids in {ids}")
    return tuple(parsed.branches)


def load_branches() -> list[Branch]:
    """All branches in the article's order (Novena, Serangoon, Tampines).

    Raises:
        ClinicDataError: if ``data/branches.yaml`` is malformed.
    """
    return list(_branches())


def branch_ids() -> list[str]:
    """The valid branch ids, for validating booking requests and API input."""
    return [b.id for b in _branches()]


def get_branch(branch_id: str) -> Branch:
    """The branch with ``branch_id``.

    Raises:
        KeyError: naming the valid ids.
    """
    for branch in _branches():
        if branch.id == branch_id:
            return branch
    raise KeyError(f"unknown branch {branch_id!r}; expected one of {branch_ids()}")
