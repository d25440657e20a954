"""The clinic's branches, and the nearest one to a Singapore postal code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from popliteal.api.errors import ERROR_RESPONSES
from popliteal.api.routes import API_PREFIX
from popliteal.api.schemas import NearestOut
from popliteal.clinics import Branch, load_branches, nearest_branches

router = APIRouter(prefix=f"{API_PREFIX}/clinics", tags=["clinics"],
                   responses=ERROR_RESPONSES)


@router.get("", response_model=list[Branch])
def list_clinics() -> list[Branch]:
    """Every branch, in the clinic's order."""
    return load_branches()


@router.get("/nearest", response_model=NearestOut)
def nearest_clinic(
    postal_code: Annotated[str, Query(min_length=1, max_length=20,
                                      description="6-digit Singapore postal code")],
) -> NearestOut:
    """The nearest branch and every branch by distance; 400 ``invalid_postal_code`` if the
    code is not a Singapore postal code."""
    branches = nearest_branches(postal_code)
    return NearestOut(postal_code=postal_code.strip(), nearest=branches[0], branches=branches)
