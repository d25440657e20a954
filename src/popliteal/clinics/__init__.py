"""The clinic: its branches, which one is nearest a postal code, booking requests, and the
one-page summary a physiotherapist reads before seeing the patient.

Facts about the branches come from the clinic's article (``data/branches.yaml``); Singapore's
postal sectors and districts from URA's published scheme (``data/postal_sectors.yaml``).
Other packages import only the names in ``__all__``.
"""

from __future__ import annotations

from popliteal.clinics._resources import ClinicDataError
from popliteal.clinics.booking import BookingRequest, PreferredTime, normalise_sg_phone
from popliteal.clinics.branches import Branch, branch_ids, get_branch, load_branches
from popliteal.clinics.geo import BranchDistance, haversine_km, nearest_branches
from popliteal.clinics.postal import PostalCodeError, PostalLocation, locate_postal_code
from popliteal.clinics.summary import physio_summary_markdown

__all__ = [
    "BookingRequest",
    "Branch",
    "BranchDistance",
    "ClinicDataError",
    "PostalCodeError",
    "PostalLocation",
    "PreferredTime",
    "branch_ids",
    "get_branch",
    "haversine_km",
    "load_branches",
    "locate_postal_code",
    "nearest_branches",
    "normalise_sg_phone",
    "physio_summary_markdown",
]
