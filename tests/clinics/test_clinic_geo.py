"""Nearest branch from postal codes in every region of Singapore.

Branches (approximate): Novena 1.320 N 103.844 E (central), Serangoon 1.352 N 103.872 E
(north-east), Tampines 1.354 N 103.943 E (east). Each case says why its answer is right, from
the geography, so a wrong centroid in the data makes a test fail. Distances are straight
lines from the postal sector's (or district's) approximate centre.
"""

from __future__ import annotations

import math

import pytest

from popliteal.clinics import BranchDistance, PostalCodeError, nearest_branches
from popliteal.clinics.geo import haversine_km


@pytest.mark.parametrize(
    ("code", "expected", "why"),
    [
        # Central
        ("307506", "novena", "Novena Medical Centre's own postal code: under 1 km away"),
        ("018956", "novena", "Marina Bay (CBD) is ~4 km south of Novena, ~8 km from Serangoon"),
        # West
        ("119077", "novena", "NUS, Kent Ridge: the west; Novena ~7.5 km, Serangoon ~12 km"),
        (
            "640123",
            "novena",
            "Jurong West: far west; all are far but Novena (~15 km) beats Serangoon (~18 km)",
        ),
        ("680123", "novena", "Choa Chu Kang: north-west; Novena ~13 km vs Serangoon ~14 km"),
        # North
        (
            "730123",
            "serangoon",
            "Woodlands: due north; Serangoon ~13.4 km beats Novena ~14.4 km in a straight line "
            "(close: about 1 km apart)",
        ),
        ("760123", "serangoon", "Yishun: north; Serangoon ~9.5 km vs Novena ~12 km"),
        # North-east
        ("560123", "serangoon", "Ang Mo Kio: ~3.5 km from Serangoon, ~5.4 km from Novena"),
        ("540123", "serangoon", "Sengkang: ~5 km from Serangoon, ~6.7 km from Tampines"),
        ("530123", "serangoon", "Hougang: ~3 km from Serangoon, ~6 km from Tampines"),
        (
            "820123",
            "serangoon",
            "Punggol town centre: Serangoon ~6.8 km vs Tampines ~7.2 km; a near tie, decided "
            "by our sector centre (east Punggol could be nearer Tampines)",
        ),
        # East
        ("520123", "tampines", "Tampines itself: under 1 km"),
        ("510123", "tampines", "Pasir Ris: ~2 km north-east of Tampines"),
        ("460123", "tampines", "Bedok: ~3.7 km from Tampines, ~7 km from Serangoon"),
        ("819663", "tampines", "Changi Airport: the far east; Tampines ~3.6 km"),
    ],
)
def test_nearest_branch_by_region(code: str, expected: str, why: str) -> None:
    ranked = nearest_branches(code)
    assert ranked[0].id == expected, why


def test_all_branches_returned_sorted_with_rounded_distances() -> None:
    ranked = nearest_branches("560123")
    assert [b.id for b in ranked] == ["serangoon", "novena", "tampines"]
    distances = [b.distance_km for b in ranked]
    assert distances == sorted(distances)
    assert all(d == round(d, 1) for d in distances)
    assert all(isinstance(b, BranchDistance) for b in ranked)


def test_each_branch_is_nearest_to_its_own_postal_code() -> None:
    for code, branch in [("307506", "novena"), ("550265", "serangoon"), ("528735", "tampines")]:
        first = nearest_branches(code)[0]
        assert first.id == branch
        assert first.distance_km < 1.5


def test_dump_has_the_spec_fields_for_clinics_near() -> None:
    """`popliteal clinics --near` prints these objects; the spec fixes these keys."""
    dumped = nearest_branches("560123")[0].model_dump(mode="json")
    assert {"id", "name", "address", "postal_code", "phone", "distance_km"} <= set(dumped)


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "000000", "740123"])
def test_nearest_branches_refuses_impossible_codes(code: str) -> None:
    with pytest.raises(PostalCodeError):
        nearest_branches(code)


def test_haversine_known_distances() -> None:
    assert haversine_km(1.3, 103.8, 1.3, 103.8) == 0
    # One degree of latitude is ~111.2 km on the mean-radius sphere.
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    # Symmetric.
    assert haversine_km(1.30, 103.80, 1.40, 103.95) == pytest.approx(
        haversine_km(1.40, 103.95, 1.30, 103.80)
    )
    # Near the equator a degree of longitude is about a degree of latitude.
    assert haversine_km(1.35, 103.8, 1.35, 103.9) == pytest.approx(
        111.195 * 0.1 * math.cos(math.radians(1.35)), rel=1e-3
    )
