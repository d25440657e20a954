"""Load and check the knowledge base: all or nothing.

Why: a half-loaded clinical knowledge base is worse than none (a condition silently missing
its red-flag likelihoods would rank wrongly). The loader parses every file, collects *every*
problem (file, field, value) and raises one :class:`KnowledgeError` listing them all; only a
fully valid base is ever returned. Data ships inside the package and is read with
``importlib.resources`` so an installed wheel works the same as a checkout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from popliteal.knowledge.base import KnowledgeBase
from popliteal.knowledge.schema import (
    Condition,
    Exercise,
    Finding,
    FindingKind,
    InterviewScreen,
    Remedy,
    Source,
    TriageRuleSet,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge files, precise enough to fix without guessing."""

    file: str
    field: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.file}: {self.field}: {self.message}{value}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{lines}")


def default_data_dir() -> Traversable:
    """The knowledge files shipped inside the package."""
    return resources.files("popliteal.knowledge") / "data"


def load_knowledge_base(data_dir: str | Path | Traversable | None = None, *,
                        require_spec_conditions: bool = True) -> KnowledgeBase:
    """Parse, validate and cross-check every knowledge file under ``data_dir``.

    ``require_spec_conditions`` demands a file for each of the spec's 30 condition ids; tests
    that build a small knowledge base of their own turn it off.

    Raises:
        KnowledgeError: listing every problem; nothing partial is returned.
    """
    root = Path(data_dir) if isinstance(data_dir, str) else data_dir
    root = root if root is not None else default_data_dir()
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), "(folder)", "no such knowledge folder")])
    problems: list[Problem] = []
    digest = hashlib.sha256()

    def read(rel: str, model: type[M], many: bool) -> list[tuple[str, M]]:
        out: list[tuple[str, M]] = []
        for name, raw in _read_yaml(root, rel, problems, digest):
            items = raw if many else [raw]
            if many and not isinstance(raw, list):
                problems.append(Problem(name, "(file)", "expected a list of entries"))
                continue
            for index, item in enumerate(items):
                where = f"[{index}]" if many else ""
                out.extend((name, m) for m in _validate(model, item, name, where, problems))
        return out

    sources = read("sources", Source, many=True)
    findings = read("findings", Finding, many=True)
    conditions = read("conditions", Condition, many=False)
    remedies = read("remedies", Remedy, many=True)
    exercises = read("exercises", Exercise, many=True)
    rulesets = read("triage", TriageRuleSet, many=False)
    screens = read("screens", InterviewScreen, many=True)

    kb_parts = {
        "sources": _unique(sources, "source", problems),
        "findings": _unique(findings, "finding", problems),
        "conditions": _unique(conditions, "condition", problems),
        "remedies": _unique(remedies, "remedy", problems),
        "exercises": _unique(exercises, "exercise", problems),
        "screens": _unique(screens, "screen", problems),
    }
    rules = [m for _, m in rulesets]
    from popliteal.knowledge.checks import cross_check

    problems.extend(cross_check(kb_parts, rulesets, require_spec_conditions))
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(
        sources=kb_parts["sources"],
        findings=kb_parts["findings"],
        conditions=kb_parts["conditions"],
        remedies=kb_parts["remedies"],
        exercises=kb_parts["exercises"],
        screens=kb_parts["screens"],
        rulesets=tuple(rules),
        content_hash=digest.hexdigest()[:16],
    )


def _read_yaml(
    root: Path | Traversable, rel: str, problems: list[Problem], digest: Any
) -> Iterator[tuple[str, Any]]:
    """Yield (display name, parsed YAML) for ``rel``.yaml and every YAML file in ``rel``/."""
    candidates: list[Traversable | Path] = []
    single = root / f"{rel}.yaml"
    if single.is_file():
        candidates.append(single)
    folder = root / rel
    if folder.is_dir():
        candidates.extend(sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")),
                                 key=lambda p: p.name))
    for path in candidates:
        name = f"{rel}/{path.name}" if path is not single else path.name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, "(file)", f"cannot read: {exc}"))
            continue
        digest.update(name.encode())
        digest.update(text.encode())
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problems.append(Problem(name, "(file)", f"not valid YAML: {exc}".replace("\n", " ")))
            continue
        if data is None:
            problems.append(Problem(name, "(file)", "file is empty"))
            continue
        yield name, data


def _validate(
    model: type[M], raw: Any, file: str, where: str, problems: list[Problem]
) -> list[M]:
    try:
        return [model.model_validate(raw)]
    except ValidationError as exc:
        label = raw.get("id") if isinstance(raw, dict) else None
        prefix = f"{where}" + (f"(id={label})" if label else "")
        for err in exc.errors():
            loc = ".".join(str(part) for part in err["loc"]) or "(entry)"
            value = err.get("input")
            shown = "" if isinstance(value, dict | list) else repr(value)[:80]
            problems.append(Problem(file, f"{prefix}.{loc}".lstrip("."), err["msg"], shown))
        return []


def _unique(items: Iterable[tuple[str, Any]], what: str, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for file, item in items:
        if item.id in out:
            problems.append(
                Problem(file, "id", f"duplicate {what} id, first defined in {origin[item.id]}",
                        item.id)
            )
            continue
        out[item.id] = item
        origin[item.id] = file
    return out


__all__ = ["KnowledgeError", "Problem", "load_knowledge_base", "default_data_dir", "FindingKind"]
