"""The loader accepts a valid base and refuses a broken one whole, naming file/field/value."""

from __future__ import annotations

from pathlib import Path

import pytest

from popliteal.knowledge import SPEC_CONDITION_IDS, KnowledgeError, load_knowledge_base


def load(path: Path):  # type: ignore[no-untyped-def]
    return load_knowledge_base(path, require_spec_conditions=False)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def test_mini_base_loads_with_a_content_hash(mini_kb_dir: Path) -> None:
    kb = load(mini_kb_dir)
    assert set(kb.conditions) == {"strain", "cyst", "clot"}
    assert len(kb.content_hash) == 16
    assert kb.version.endswith(kb.content_hash)


def test_hash_changes_when_a_figure_changes(mini_kb_dir: Path) -> None:
    before = load(mini_kb_dir).content_hash
    f = mini_kb_dir / "conditions" / "cyst.yaml"
    f.write_text(f.read_text().replace("p: 0.8", "p: 0.7"))
    assert load(mini_kb_dir).content_hash != before


def test_unknown_key_is_named(mini_kb_dir: Path) -> None:
    f = mini_kb_dir / "conditions" / "cyst.yaml"
    f.write_text(f.read_text() + "colour: blue\n")
    [problem] = problems_of(mini_kb_dir)
    assert "conditions/cyst.yaml" in problem and "colour" in problem


def test_probability_out_of_range_names_file_field_value(mini_kb_dir: Path) -> None:
    f = mini_kb_dir / "conditions" / "cyst.yaml"
    f.write_text(f.read_text().replace("p: 0.8", "p: 1.8"))
    [problem] = problems_of(mini_kb_dir)
    assert "conditions/cyst.yaml" in problem and "findings.1.p" in problem and "1.8" in problem


def test_unknown_finding_suggests_close_ids(mini_kb_dir: Path) -> None:
    f = mini_kb_dir / "conditions" / "cyst.yaml"
    f.write_text(f.read_text().replace("finding: lump,", "finding: lumpp,"))
    [problem] = problems_of(mini_kb_dir)
    assert "lumpp" in problem and "did you mean lump" in problem


def test_unknown_source_is_refused(mini_kb_dir: Path) -> None:
    f = mini_kb_dir / "conditions" / "clot.yaml"
    f.write_text(f.read_text().replace("sources: [test-source]", "sources: [nowhere]"))
    assert any("unknown source" in p and "nowhere" in p for p in problems_of(mini_kb_dir))


def test_invalid_yaml_and_empty_file(mini_kb_dir: Path) -> None:
    (mini_kb_dir / "conditions" / "broken.yaml").write_text("id: [unclosed\n")
    (mini_kb_dir / "sources" / "empty.yaml").write_text("")
    problems = problems_of(mini_kb_dir)
    assert any("broken.yaml" in p and "not valid YAML" in p for p in problems)
    assert any("empty.yaml" in p and "empty" in p for p in problems)


def test_every_problem_is_reported_at_once(mini_kb_dir: Path) -> None:
    for name in ("cyst", "clot"):
        f = mini_kb_dir / "conditions" / f"{name}.yaml"
        f.write_text(f.read_text().replace("icd10:", "icd_10:"))
    problems = problems_of(mini_kb_dir)
    assert any("cyst.yaml" in p for p in problems) and any("clot.yaml" in p for p in problems)


def test_duplicate_ids_are_refused(mini_kb_dir: Path) -> None:
    (mini_kb_dir / "sources" / "again.yaml").write_text(
        '- {id: test-source, citation: "The same id again."}\n')
    assert any("duplicate source id" in p for p in problems_of(mini_kb_dir))


def test_rule_may_not_require_a_red_flag_absent(mini_kb_dir: Path) -> None:
    f = mini_kb_dir / "triage" / "rules.yaml"
    f.write_text(f.read_text().replace("when: {all: [fever]}",
                                       "when: {all: [injury], absent: [calf_swelling]}"))
    assert any("red flag" in p and "calf_swelling" in p for p in problems_of(mini_kb_dir))


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no such knowledge folder"):
        load(tmp_path / "nope")


def test_spec_conditions_are_required_by_default(mini_kb_dir: Path) -> None:
    with pytest.raises(KnowledgeError, match="spec condition has no file"):
        load_knowledge_base(mini_kb_dir)


def test_packaged_base_is_complete(kb) -> None:  # type: ignore[no-untyped-def]
    assert SPEC_CONDITION_IDS <= set(kb.conditions)
    assert len(kb.findings) >= 120
    assert {"paracetamol", "oral_nsaid", "rice", "corticosteroid_injection", "physio_exercise",
            "manual_therapy", "physio_modalities", "education_advice", "functional_training",
            "arthroscopy", "ligament_reconstruction", "meniscus_repair"} <= set(kb.remedies)
    for cond in kb.conditions.values():
        assert cond.sources and cond.prior.source
        assert all(lk.source in kb.sources for lk in cond.findings)
    for finding in kb.findings.values():
        if finding.kind.value == "yes_no" and finding.group not in {"medicines"}:
            assert finding.phrases, f"{finding.id} has no phrases for the language layer"
