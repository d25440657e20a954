"""Patients' wordings found misread by probing with new sentences (not the vignettes).

Over the packaged catalogue: what matters is what the real phrases and rules give. Each
test has a control, a nearby wording whose reading must stay as it was.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings


def present(text: str, finding_id: str, kb: KnowledgeBase) -> bool | None:
    """True or False as read, None if not read at all."""
    found = extract_findings(text, kb).get(finding_id)
    return None if found is None else found.present


# ------------------------------------------------------------ negation inside a list


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("Calf is not warm or red.", "calf_warm_red"),
        ("My calf isnt red or hot.", "calf_warm_red"),
        ("My calf is neither swollen nor red.", "calf_warm_red"),
        ("My calf is neither swollen nor red.", "calf_swelling"),
        ("Calf not swollen or red.", "calf_swelling"),
        ("Knee not hot or red.", "knee_red"),
        ("Calf is not swollen or tender.", "calf_tender"),
        ("Calf is not swollen or tender.", "calf_swelling"),
    ],
)
def test_a_list_after_not_is_denied(text: str, finding_id: str,
                                    catalogue: KnowledgeBase) -> None:
    # read as "calf ... red" over the "not", the red flag was present and the "not" lost
    assert present(text, finding_id, catalogue) is not True, text


def test_a_denied_list_gives_no_pain_there(catalogue: KnowledgeBase) -> None:
    assert present("Calf is not swollen or tender.", "pain_calf", catalogue) is not True


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("Calf is swollen and red.", "calf_warm_red"),
        ("Calf swollen, red and warm.", "calf_warm_red"),
        ("Calf is swollen or tender, hard to say.", "calf_tender"),
        ("I can't bend or straighten my knee.", "cannot_straighten_fully"),
    ],
)
def test_a_list_without_not_is_still_read(text: str, finding_id: str,
                                          catalogue: KnowledgeBase) -> None:
    assert present(text, finding_id, catalogue) is True, text


def test_a_denied_list_item_keeps_its_own_part(catalogue: KnowledgeBase) -> None:
    assert present("No calf swelling or redness.", "calf_warm_red", catalogue) is False
    assert present("Calf is not tender.", "pain_calf", catalogue) is False
