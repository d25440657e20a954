"""The public surface is deliberate: other packages import only these names."""

from __future__ import annotations

import popliteal.clinics as clinics

REQUIRED = {
    "Branch",
    "BranchDistance",
    "load_branches",
    "nearest_branches",
    "PostalCodeError",
    "BookingRequest",
    "physio_summary_markdown",
}


def test_required_names_exported() -> None:
    assert REQUIRED <= set(clinics.__all__)


def test_all_names_exist_and_nothing_public_is_unlisted() -> None:
    for name in clinics.__all__:
        assert hasattr(clinics, name), name
    public = {
        n
        for n in vars(clinics)
        if not n.startswith("_") and n not in {"annotations"} and not _is_module(n)
    }
    assert public == set(clinics.__all__)


def _is_module(name: str) -> bool:
    return type(getattr(clinics, name)).__name__ == "module"
