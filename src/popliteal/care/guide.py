"""Load and check the care data files (``care/data/*.yaml``): all or nothing.

Why: like the knowledge base, half-loaded safety-netting is worse than none. Each file holds
one or more top-level sections of :class:`CareGuide`; every problem is collected with its file
and field and raised together. :func:`check_against` cross-checks ids (remedies, conditions,
findings, sources, exercises) against a loaded knowledge base.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from popliteal.care.schema import CareGuide, Claim, HelpItem
from popliteal.knowledge import KnowledgeBase


class CareDataError(Exception):
    """The care data is invalid; ``problems`` lists every problem as "file: field: message"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the care data:\n{lines}")


def default_care_dir() -> Traversable:
    return resources.files("popliteal.care") / "data"


def load_care_guide(data_dir: Path | Traversable | None = None) -> CareGuide:
    """Parse and validate every care data file under ``data_dir``.

    Raises:
        CareDataError: naming the file and field of every problem.
    """
    root = data_dir if data_dir is not None else default_care_dir()
    problems: list[str] = []
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    files = sorted((p for p in root.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(f"{path.name}: (file): cannot read: {exc}".replace("\n", " "))
            continue
        if not isinstance(data, dict):
            problems.append(f"{path.name}: (file): expected a mapping of sections")
            continue
        for key, value in data.items():
            if key in merged:
                problems.append(f"{path.name}: {key}: section also defined in {origin[key]}")
                continue
            merged[key] = value
            origin[key] = path.name
    try:
        guide = CareGuide.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(part) for part in err["loc"]]
            file = origin.get(loc[0], "(missing section)") if loc else "(care data)"
            value = err.get("input")
            shown = "" if isinstance(value, dict | list) else f" (value: {value!r})"[:90]
            problems.append(f"{file}: {'.'.join(loc)}: {err['msg']}{shown}")
        raise CareDataError(problems) from None
    if problems:
        raise CareDataError(problems)
    return guide


@lru_cache(maxsize=1)
def get_care_guide() -> CareGuide:
    """The packaged care guide, loaded once per process."""
    return load_care_guide()


def _claims(guide: CareGuide) -> list[tuple[str, Claim]]:
    out: list[tuple[str, Claim]] = []
    for g in guide.safety_netting.levels:
        out += [(f"safety_netting.levels({g.level.value}).do_now", c) for c in g.do_now]
    for cls in guide.classes:
        where = f"classes(id={cls.id})"
        out += [(f"{where}.avoid", c) for c in cls.avoid] + [(f"{where}.do", c) for c in cls.do]
        if cls.concern:
            out.append((f"{where}.concern", cls.concern))
    pr = guide.pain_relief
    for name in ("paracetamol", "topical", "oral", "screen_positive", "topical_after_screen",
                 "clot", "fresh_injury", "osteoarthritis"):
        out.append((f"pain_relief.{name}", getattr(pr, name)))
    out += [("pain_relief.emergency", c) for c in pr.emergency]
    out += [("pain_relief.urgent", c) for c in pr.urgent]
    out += [("pain_relief.general", c) for c in pr.general]
    for opt in guide.self_care:
        out += [(f"self_care({opt.remedy})", c) for c in [*opt.how, *opt.never]]
    prog = guide.programme
    out += [("programme.pain_rules", c) for c in prog.pain_rules]
    out += [("programme.start", prog.start), ("programme.no_programme", prog.no_programme),
            ("programme.review", prog.review)]
    return out


def _help_items(guide: CareGuide) -> list[tuple[str, HelpItem]]:
    out = [("safety_netting.escalations", h) for h in guide.safety_netting.escalations]
    for g in guide.safety_netting.levels:
        out += [(f"safety_netting.levels({g.level.value}).get_help", h) for h in g.get_help]
    for cls in guide.classes:
        out += [(f"classes(id={cls.id}).get_help", h) for h in cls.get_help]
    return out


def check_against(guide: CareGuide, kb: KnowledgeBase, *, conditions: bool = True,
                  findings: bool = True) -> list[str]:
    """Every id the care data names must exist in ``kb``; returns one line per problem.

    ``conditions``/``findings`` can be switched off while those files are still being written.
    """
    problems: list[str] = []

    def need(where: str, value: str, pool: Any, what: str) -> None:
        if value not in pool:
            problems.append(f"{where}: unknown {what} (value: {value})")

    for where, claim in _claims(guide):
        for sid in claim.sources:
            need(where, sid, kb.sources, "source")
        if claim.remedy:
            need(where, claim.remedy, kb.remedies, "remedy")
    for where, item in _help_items(guide):
        for sid in item.sources:
            need(where, sid, kb.sources, "source")
    for g in guide.safety_netting.levels:
        for sid in g.sources:
            need(f"safety_netting.levels({g.level.value})", sid, kb.sources, "source")
    for cls in guide.classes:
        for rid in cls.blocks:
            need(f"classes(id={cls.id}).blocks", rid, kb.remedies, "remedy")
        if conditions:
            for cid in cls.conditions:
                need(f"classes(id={cls.id}).conditions", cid, kb.conditions, "condition")
    for screen in guide.pain_relief.screen:
        where = f"pain_relief.screen(id={screen.id})"
        for rid in screen.blocks:
            need(f"{where}.blocks", rid, kb.remedies, "remedy")
        for sid in screen.sources:
            need(where, sid, kb.sources, "source")
        if findings and screen.finding:
            need(f"{where}.finding", screen.finding, kb.findings, "finding")
    for opt in guide.self_care:
        need(f"self_care({opt.remedy})", opt.remedy, kb.remedies, "remedy")
        if findings:
            for fid in [*opt.when.findings_any, *opt.when.findings_all]:
                need(f"self_care({opt.remedy}).when", fid, kb.findings, "finding")
        if conditions:
            for cid in opt.when.conditions_any:
                need(f"self_care({opt.remedy}).when", cid, kb.conditions, "condition")
    for tm in guide.treatments:
        for rid in tm.remedies:
            need(f"treatments({tm.condition})", rid, kb.remedies, "remedy")
        for sid in tm.sources:
            need(f"treatments({tm.condition})", sid, kb.sources, "source")
        if conditions:
            need("treatments", tm.condition, kb.conditions, "condition")
    prog = guide.programme
    for sid in prog.sources:
        need("programme", sid, kb.sources, "source")
    for caution in prog.cautions:
        for eid in caution.exercises:
            need(f"programme.cautions({caution.condition})", eid, kb.exercises, "exercise")
        for sid in caution.sources:
            need(f"programme.cautions({caution.condition})", sid, kb.sources, "source")
        if conditions:
            need("programme.cautions", caution.condition, kb.conditions, "condition")
    for cid, eids in prog.preferred.items():
        if conditions:
            need("programme.preferred", cid, kb.conditions, "condition")
        for eid in eids:
            need(f"programme.preferred({cid})", eid, kb.exercises, "exercise")
            ex = kb.exercises.get(eid)
            if ex is not None and cid not in ex.suits:
                problems.append(f"programme.preferred({cid}): exercise {eid} does not list "
                                f"{cid} in its suits")
    return problems
