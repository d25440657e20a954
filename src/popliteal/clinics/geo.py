"""Which branch is nearest to a patient: straight-line distance from a postal code.

Why straight lines from sector centres: three branches, an island 50 km across, and a
patient who wants "the one near me". The haversine distance from the postal sector's
approximate centre (see :mod:`popliteal.clinics.postal`) ranks them well enough, works
offline and never sends an address anywhere. It is not a travel time: a branch 1 km further
may be quicker to reach by MRT, so callers should show all branches, nearest first, with the
distance rounded to 0.1 km (finer precision would be false: sector centres are good to a few km).
"""

from __future__ import annotations

import math

from pydantic import Field

from popliteal.clinics.branches import Branch, load_branches
from popliteal.clinics.postal import PostalCodeError, locate_postal_code

__all__ = ["BranchDistance", "PostalCodeError", "haversine_km", "nearest_branches"]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees.

    Why haversine: numerically stable for the short distances here (a few km), unlike the
    spherical law of cosines; the Earth's flattening matters far less than our centres' error.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class BranchDistance(Branch):
    """A branch with its straight-line distance from the patient's postal code.

    A flat subclass of :class:`Branch`, so ``model_dump()`` is directly the object the spec
    fixes for ``popliteal clinics --near`` (``id``, ``name``, ``address``, ``postal_code``,
    ``phone``, ``distance_km`` and more).
    """

    distance_km: float = Field(ge=0, description="straight line, rounded to 0.1 km; approximate")


def nearest_branches(postal_code: str) -> list[BranchDistance]:
    """All branches, nearest first, with distances from ``postal_code`` rounded to 0.1 km.

    Ties (equal rounded distances) keep the unrounded order, then the article's order.

    Raises:
        PostalCodeError: ``postal_code`` is not a valid Singapore postal code.
    """
    where = locate_postal_code(postal_code)
    measured = [
        (haversine_km(where.latitude, where.longitude, b.latitude, b.longitude), i, b)
        for i, b in enumerate(load_branches())
    ]
    measured.sort(key=lambda item: (item[0], item[1]))
    return [BranchDistance(**b.model_dump(), distance_km=round(km, 1)) for km, _, b in measured]
