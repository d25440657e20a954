"""The care data and the exercise/remedy files validate, and broken files are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from popliteal.care import CareDataError, check_against, load_care_guide
from popliteal.care.guide import default_care_dir
from popliteal.knowledge import KnowledgeError, load_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "popliteal" / "knowledge" / "data"
CARE = ROOT / "src" / "popliteal" / "care" / "data"
REMEDY_IDS = set("""paracetamol topical_nsaid oral_nsaid rice ice_therapy heat_therapy
corticosteroid_injection physio_exercise manual_therapy physio_modalities education_advice
functional_training arthroscopy ligament_reconstruction meniscus_repair other_surgery
anticoagulation antibiotics_drainage arthritis_medicines gout_medicines vascular_treatment
emergency_care""".split())


def finding_ids() -> set[str]:
    return {row["id"] for row in yaml.safe_load((ROOT / "docs" / "finding-ids.yaml").read_text())}


def test_every_fixed_remedy_is_defined(kb):
    assert set(kb.remedies) == REMEDY_IDS


def test_exercise_library(kb):
    assert len(kb.exercises) >= 15
    for ex in kb.exercises.values():
        assert ex.figure, ex.id
        svg = (DATA / "figures" / ex.figure).read_text()
        assert svg.startswith("<svg") and "<title" in svg, ex.figure
        assert len(svg) < 4000


def test_finding_ids_named_by_my_files_exist(kb):
    known = finding_ids()
    used = {f for r in kb.remedies.values() for f in r.not_for_findings}
    used |= {f for e in kb.exercises.values() for f in e.not_for_findings}
    guide = load_care_guide()
    used |= {i.finding for i in guide.pain_relief.screen if i.finding}
    for opt in guide.self_care:
        used |= {*opt.when.findings_any, *opt.when.findings_all}
    assert used - known == set()


def test_care_data_cross_checks_against_small_kb(kb):
    assert check_against(load_care_guide(), kb, findings=False) == []


def test_care_data_cross_checks_against_packaged_kb(real_kb):
    assert check_against(load_care_guide(), real_kb) == []


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_broken_exercise_file_is_named_with_field(tmp_path):
    data = _copy_knowledge(tmp_path)
    good = yaml.safe_load((data / "exercises" / "knee.yaml").read_text())[0]
    broken = {k: v for k, v in good.items() if k != "dosage"} | {"id": "broken_one"}
    (data / "exercises" / "zz_broken.yaml").write_text(yaml.safe_dump([broken]))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_base(data)
    mine = [p for p in info.value.problems if p.file == "exercises/zz_broken.yaml"]
    assert mine and mine[0].field.endswith("dosage") and "broken_one" in mine[0].field


def test_bad_dosage_value_is_named(tmp_path):
    data = _copy_knowledge(tmp_path)
    good = yaml.safe_load((data / "exercises" / "knee.yaml").read_text())[0]
    good = good | {"id": "no_reps", "dosage": {"sets": 2}}
    (data / "exercises" / "zz_broken.yaml").write_text(yaml.safe_dump([good]))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_base(data)
    mine = [p for p in info.value.problems if p.file == "exercises/zz_broken.yaml"]
    assert mine and "dosage" in mine[0].field and "reps or hold_seconds" in mine[0].message


def test_broken_care_file_is_named_with_field(tmp_path):
    target = tmp_path / "care"
    shutil.copytree(CARE, target)
    text = (target / "programme.yaml").read_text().replace("min_exercises:", "min_exercize:")
    (target / "programme.yaml").write_text(text)
    with pytest.raises(CareDataError) as info:
        load_care_guide(target)
    problems = "\n".join(info.value.problems)
    assert "programme.yaml: programme.min_exercize" in problems
    assert "programme.yaml: programme.min_exercises" in problems


def test_care_level_without_995_is_rejected(tmp_path):
    target = tmp_path / "care"
    shutil.copytree(CARE, target)
    path = target / "safety_netting.yaml"
    path.write_text(path.read_text().replace("Call 995", "Call someone"))
    with pytest.raises(CareDataError) as info:
        load_care_guide(target)
    assert "995" in str(info.value) and "safety_netting.yaml" in str(info.value)


def test_packaged_care_dir_is_inside_the_package():
    assert default_care_dir().joinpath("safety_netting.yaml").is_file()
