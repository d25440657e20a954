"""The pipeline: built once per knowledge base, lazy imports, rules from every phrase."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings
from popliteal.language.lexicon import normalise_text
from popliteal.language.pipeline import build_pipeline, get_pipeline

from .kb_fixture import FINDINGS, make_kb

REPO = Path(__file__).resolve().parents[2]


def test_pipeline_is_cached_by_content_hash(kb: KnowledgeBase) -> None:
    assert get_pipeline(kb) is get_pipeline(kb)
    same_data = make_kb(FINDINGS, kb.content_hash)
    assert get_pipeline(same_data) is get_pipeline(kb)
    other = make_kb(FINDINGS[:3], "another-hash")
    assert get_pipeline(other) is not get_pipeline(kb)
    assert get_pipeline(other).rule_count < get_pipeline(kb).rule_count


def test_every_phrase_becomes_a_rule_that_matches_it(kb: KnowledgeBase) -> None:
    pipe = get_pipeline(kb)
    assert pipe.rule_count >= len([f for f in kb.findings.values() if f.phrases])
    for finding in kb.findings.values():
        for phrase in finding.phrases:
            labels = {e.label_ for e in pipe.targets(pipe.process(normalise_text(phrase)))}
            assert finding.id in labels, (finding.id, phrase, labels)


def test_import_popliteal_does_not_import_spacy() -> None:
    code = ("import sys, popliteal, popliteal.language; "
            "print('spacy' in sys.modules, 'medspacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.strip() == "False False"


def test_pyrush_splitter_works_and_is_quiet(kb: KnowledgeBase,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    pipe = build_pipeline(kb, sentence_splitter="pyrush")
    doc = pipe.process("No fever. My calf is swollen.")
    assert [s.text for s in doc.sents if s.text.strip()] == ["No fever.", "My calf is swollen."]
    captured = capfd.readouterr()
    assert "DEBUG" not in captured.err + captured.out


def test_results_do_not_depend_on_earlier_texts(kb: KnowledgeBase) -> None:
    first = extract_findings("My calf is swolen. No fever.", kb)
    extract_findings("Swelling everywhere, fever, clots, my mum had clots.", kb)
    again = extract_findings("My calf is swolen. No fever.", kb)
    assert first == again


PACKAGED_DONE = (REPO / "docs" / ".findings-done").exists()


@pytest.mark.skipif(not PACKAGED_DONE, reason="findings catalogue still being written")
def test_every_packaged_phrase_compiles_and_matches_itself() -> None:
    from popliteal.knowledge import load_knowledge_base

    kb = load_knowledge_base()
    pipe = get_pipeline(kb)
    missed = []
    for finding in kb.findings.values():
        for phrase in finding.phrases:
            labels = {e.label_ for e in pipe.targets(pipe.process(normalise_text(phrase)))}
            if not labels:
                missed.append((finding.id, phrase))
    assert not missed, missed[:20]
