"""The branches must be exactly the article's: a wrong phone number sends patients nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from popliteal.clinics import Branch, load_branches
from popliteal.clinics.branches import get_branch

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_d3d861fb735e341b.txt"


def test_three_branches_in_article_order() -> None:
    assert [b.id for b in load_branches()] == ["novena", "serangoon", "tampines"]


@pytest.mark.parametrize(
    ("branch_id", "name", "postal", "phone", "printed", "address"),
    [
        (
            "novena",
            "Phoenix Rehab Novena",
            "307506",
            "+6588001830",
            "65 8800 1830",
            "10 Sinaran Drive, Novena Medical Centre #10-09, Singapore 307506",
        ),
        (
            "serangoon",
            "Phoenix Rehab Serangoon",
            "550265",
            "+6588924121",
            "88924121",
            "265 Serangoon Central Drive #04-269 Singapore 550265",
        ),
        (
            "tampines",
            "Phoenix Rehab Tampines",
            "528735",
            "+6587809608",
            "65 8780 9608",
            "9 Tampines Grande, #01-20, Singapore 528735",
        ),
    ],
)
def test_branch_facts_match_article(
    branch_id: str, name: str, postal: str, phone: str, printed: str, address: str
) -> None:
    b = get_branch(branch_id)
    assert (b.name, b.postal_code, b.phone, b.phone_as_printed, b.address) == (
        name,
        postal,
        phone,
        printed,
        address,
    )
    assert b.hours is None and b.hours_note == "hours to be confirmed by phone"
    assert "approximate" in b.coordinates_source
    assert b.source == "article"


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside the repo")
def test_addresses_and_printed_phones_appear_verbatim_in_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    for b in load_branches():
        assert b.address in text
        assert f"{b.phone_as_printed} |" in text


def test_printed_phone_and_e164_agree() -> None:
    for b in load_branches():
        digits = "".join(c for c in b.phone_as_printed if c.isdigit())
        assert b.phone == "+65" + digits[-8:]


def test_unknown_branch_names_valid_ids() -> None:
    with pytest.raises(KeyError, match="novena"):
        get_branch("orchard")


def test_branch_model_rejects_unknown_keys_and_bad_phone() -> None:
    good = get_branch("novena").model_dump()
    with pytest.raises(ValueError):
        Branch.model_validate({**good, "fax": "123"})
    with pytest.raises(ValueError):
        Branch.model_validate({**good, "phone": "88001830"})
