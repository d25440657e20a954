"""Postal codes: every real sector maps to a district; anything else is an error, not a guess."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from popliteal.clinics import ClinicDataError, PostalCodeError, locate_postal_code, postal
from popliteal.clinics._resources import read_yaml
from popliteal.clinics.postal import known_sectors


def test_81_sectors_01_to_82_without_74() -> None:
    expected = [f"{n:02d}" for n in range(1, 83) if n != 74]
    assert known_sectors() == expected


@pytest.mark.parametrize(
    ("code", "district"),
    [
        ("018956", 1),  # Marina Bay
        ("079903", 2),  # Tanjong Pagar
        ("098585", 4),  # Harbourfront / Sentosa
        ("119077", 5),  # NUS, Kent Ridge
        ("238858", 9),  # 277 Orchard Road (the Wikipedia example)
        ("307506", 11),  # Novena Medical Centre
        ("310145", 12),  # Toa Payoh
        ("339696", 12),  # Geylang Bahru (sector 33)
        ("460123", 16),  # Bedok
        ("819663", 17),  # Changi Airport (sector 81, out of numerical order)
        ("528735", 18),  # Tampines Grande
        ("550265", 19),  # Serangoon Central
        ("820123", 19),  # Punggol (sector 82, out of numerical order)
        ("569933", 20),  # Ang Mo Kio
        ("640123", 22),  # Jurong West
        ("730123", 25),  # Woodlands
        ("760123", 27),  # Yishun
        ("797000", 28),  # sector 79 (Seletar)
    ],
)
def test_real_codes_map_to_their_district(code: str, district: int) -> None:
    where = locate_postal_code(code)
    assert where.district == district
    assert where.sector == code[:2]
    assert where.postal_code == code


def test_whitespace_around_code_is_forgiven() -> None:
    assert locate_postal_code(" 560123\n").postal_code == "560123"


def test_sector_centre_used_where_given() -> None:
    assert locate_postal_code("820123").area == "Punggol"
    assert locate_postal_code("820123").basis == "sector"
    assert locate_postal_code("018956").basis == "district"


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("12345", "6 digits"),
        ("1234567", "6 digits"),
        ("abcdef", "6 digits"),
        ("56O123", "6 digits"),  # letter O, not zero
        ("56 0123", "6 digits"),
        ("５６０１２３", "6 digits"),  # full-width digits: isdigit() would say yes
        ("", "6 digits"),
        ("000000", "000000"),
        ("740123", "74"),  # sector 74 is not used
        ("830123", "83"),  # beyond 82
        ("990000", "99"),
        ("001234", "00"),
    ],
)
def test_impossible_codes_raise(code: str, why: str) -> None:
    with pytest.raises(PostalCodeError, match=why):
        locate_postal_code(code)


def test_not_a_string_raises_postal_code_error() -> None:
    with pytest.raises(PostalCodeError):
        locate_postal_code(560123)  # type: ignore[arg-type]


def test_postal_code_error_is_a_value_error() -> None:
    assert issubclass(PostalCodeError, ValueError)


def _broken_table(monkeypatch: pytest.MonkeyPatch, edit: Callable[[dict[str, Any]], None]) -> None:
    """Load a deliberately broken copy of the sector file; the loader must refuse it."""
    data = read_yaml("postal_sectors.yaml")
    edit(data)
    monkeypatch.setattr(postal, "read_yaml", lambda name: data)
    postal._table.cache_clear()
    try:
        with pytest.raises(ClinicDataError):
            postal._table()
    finally:
        monkeypatch.undo()
        postal._table.cache_clear()


def test_loader_refuses_a_missing_sector(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_table(monkeypatch, lambda d: d["districts"][0]["sectors"].remove("06"))


def test_loader_refuses_a_sector_both_used_and_unused(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_table(monkeypatch, lambda d: d["districts"][0]["sectors"].append("74"))


def test_loader_refuses_a_sector_in_two_districts(monkeypatch: pytest.MonkeyPatch) -> None:
    _broken_table(monkeypatch, lambda d: d["districts"][1]["sectors"].append("01"))
