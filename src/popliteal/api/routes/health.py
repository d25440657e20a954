"""Liveness: the trivial endpoint (also the benchmark's baseline)."""

from __future__ import annotations

from fastapi import APIRouter

from popliteal import __version__
from popliteal.api.errors import ERROR_RESPONSES
from popliteal.api.routes import API_PREFIX
from popliteal.api.schemas import HealthOut

router = APIRouter(prefix=API_PREFIX, tags=["health"], responses=ERROR_RESPONSES)


@router.get("/health", response_model=HealthOut)
async def health() -> HealthOut:
    """Answers without touching the database (``async``: nothing to wait for, so no thread)."""
    return HealthOut(version=__version__)
