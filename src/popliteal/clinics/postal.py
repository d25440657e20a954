"""Singapore postal codes -> an approximate location, or a clear error.

Why sectors: a 6-digit Singapore postal code starts with its 2-digit sector, and the 81
sectors group into the 28 postal districts published by URA. Knowing the sector is enough to
say which of three branches is nearest, without an online geocoder (the tests and the app run
offline) and without sending a patient's address anywhere. The location is approximate (the
sector's or district's centre, our estimate: see ``data/postal_sectors.yaml``).

Anything that is not a real Singapore postal code raises :class:`PostalCodeError`; an unused
sector is an error, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from popliteal.clinics._resources import ClinicDataError, read_yaml

_SIX_ASCII_DIGITS = re.compile(r"[0-9]{6}")
_SECTOR = r"^[0-9]{2}$"


class PostalCodeError(ValueError):
    """Not a valid Singapore postal code; the message says why, in words a patient can act on."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _District(_Strict):
    district: int = Field(ge=1, le=28)
    area: str
    sectors: list[str] = Field(min_length=1)
    latitude: float = Field(ge=1.1, le=1.5)
    longitude: float = Field(ge=103.5, le=104.1)


class _SectorCentre(_Strict):
    area: str
    latitude: float = Field(ge=1.1, le=1.5)
    longitude: float = Field(ge=103.5, le=104.1)


class _SectorFile(_Strict):
    source: str
    notes: list[str]
    unused_sectors: dict[str, str]
    districts: list[_District] = Field(min_length=28, max_length=28)
    sector_centres: dict[str, _SectorCentre]


class PostalLocation(_Strict):
    """Where a postal code roughly is: its sector, district and an approximate centre."""

    postal_code: str
    sector: str = Field(pattern=_SECTOR)
    district: int = Field(ge=1, le=28)
    area: str = Field(description="the sector's town, or the district's general location")
    latitude: float
    longitude: float
    basis: Literal["sector", "district"] = Field(
        description="whether the centre is the sector's own estimate or its district's"
    )


@lru_cache(maxsize=1)
def _table() -> dict[str, PostalLocation]:
    """Sector -> location template (postal_code empty), checked for coverage and overlaps."""
    try:
        data = _SectorFile.model_validate(read_yaml("postal_sectors.yaml"))
    except ValidationError as exc:
        raise ClinicDataError(f"data/postal_sectors.yaml is invalid:\n{exc}") from exc
    problems: list[str] = []
    if sorted(d.district for d in data.districts) != list(range(1, 29)):
        problems.append("districts must be numbered 1 to 28, once each")
    table: dict[str, PostalLocation] = {}
    for d in data.districts:
        for sector in d.sectors:
            if sector in table or sector in data.unused_sectors:
                problems.append(f"sector {sector} appears twice")
                continue
            centre = data.sector_centres.get(sector)
            table[sector] = PostalLocation(
                postal_code="",
                sector=sector,
                district=d.district,
                area=centre.area if centre else d.area,
                latitude=centre.latitude if centre else d.latitude,
                longitude=centre.longitude if centre else d.longitude,
                basis="sector" if centre else "district",
            )
    expected = {f"{n:02d}" for n in range(0, 83)}
    missing = expected - set(table) - set(data.unused_sectors)
    if missing:
        problems.append(f"sectors neither mapped nor marked unused: {sorted(missing)}")
    extra = (set(table) | set(data.unused_sectors)) - expected
    if extra:
        problems.append(f"sectors outside 00-82: {sorted(extra)}")
    stray = set(data.sector_centres) - set(table)
    if stray:
        problems.append(f"sector_centres for unmapped sectors: {sorted(stray)}")
    if problems:
        raise ClinicDataError("data/postal_sectors.yaml: " + "; ".join(problems))
    return table


def known_sectors() -> list[str]:
    """The sectors in use (81 of them), sorted."""
    return sorted(_table())


def locate_postal_code(postal_code: str) -> PostalLocation:
    """The sector, district and approximate centre of a Singapore postal code.

    Surrounding whitespace is ignored; nothing else is forgiven, because a guessed location
    would send a patient to the wrong branch without anyone noticing.

    Raises:
        PostalCodeError: not 6 digits (letters, too short or long), all zeros, or a sector that
            Singapore does not use.
    """
    if not isinstance(postal_code, str):
        raise PostalCodeError(
            f"A Singapore postal code is 6 digits written as text, e.g. '560123'; "
            f"got {type(postal_code).__name__}."
        )
    code = postal_code.strip()
    if not _SIX_ASCII_DIGITS.fullmatch(code):
        raise PostalCodeError(
            f"{postal_code!r} is not a Singapore postal code: it must be exactly 6 digits "
            f"(0-9), e.g. 560123."
        )
    if code == "000000":
        raise PostalCodeError("'000000' is not a Singapore postal code.")
    template = _table().get(code[:2])
    if template is None:
        raise PostalCodeError(
            f"{code!r} is not a Singapore postal code: no postal codes start with "
            f"{code[:2]!r} (the first two digits run from 01 to 82, and 74 is not used)."
        )
    return template.model_copy(update={"postal_code": code})
