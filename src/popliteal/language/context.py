"""ConText rules: medSpaCy's defaults (minus a few) plus ours from ``data/context_rules.yaml``.

Why a data file: negation, history, family, hypothetical, planned and uncertainty cues are how
people talk, not facts about any one finding; a reviewer can read and extend them without
touching code. The file also says which default rules to leave out (clinicians' words that
mean something else in patients' mouths) and how far each kind of modifier reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

#: ConText category -> the modifier name a finding carries.
MODIFIER_NAMES: dict[str, str] = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "family",
    "PLANNED": "planned",
}

#: A modifier that only takes findings away (see modifier_policy.yaml, planned) and is
#: never reported on a finding that is kept.
PLANNED = "planned"


@dataclass(frozen=True)
class ContextSettings:
    """How far each modifier reaches, in tokens between the modifier and the finding."""

    max_distance: dict[str, int]
    rule_distance: dict[str, int]

    def reach(self, category: str, literal: str) -> int:
        return self.rule_distance.get(literal, self.max_distance.get(category, 10))


@lru_cache(maxsize=1)
def _rules_data() -> dict[str, Any]:
    path = resources.files("popliteal.language") / "data" / "context_rules.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def load_context_rules() -> tuple[ContextSettings, list[Any]]:
    """Settings and ``ConTextRule`` objects (medSpaCy imported lazily, it is slow)."""
    from medspacy.context import ConTextRule

    data = _rules_data()
    drop = {str(x).lower() for x in data.get("drop_default", [])}
    # A default rule ends where ours of its category end (medSpaCy's defaults end only at the
    # sentence's end: "my knee is not red, but my calf is hot and swollen" denied the calf)
    ends = {str(category).upper(): _terminators(names)
            for category, names in data.get("default_terminated_by", {}).items()}
    rules: list[Any] = []
    for rule in ConTextRule.from_json(_default_rules_path()):
        if rule.literal.lower() in drop:
            continue
        if not rule.terminated_by and ends.get(rule.category.upper()):
            rule.terminated_by = set(ends[rule.category.upper()])  # type: ignore[arg-type]
        rules.append(rule)
    rule_distance: dict[str, int] = {}
    for item in data["rules"]:
        rules.append(ConTextRule(
            literal=item["literal"],
            category=item["category"],
            direction=item["direction"],
            pattern=item.get("pattern"),
            terminated_by=_terminators(item.get("terminated_by", [])),
            allowed_types=set(item["allowed_types"]) if "allowed_types" in item else None,
        ))
        if "max_distance" in item:
            rule_distance[item["literal"]] = int(item["max_distance"])
    settings = ContextSettings(
        max_distance={str(k): int(v) for k, v in data.get("max_distance", {}).items()},
        rule_distance=rule_distance,
    )
    return settings, rules


def history_patterns() -> list[list[dict[str, Any]]]:
    """Token patterns of our history cues ("two years ago", "last year", "in 2015").

    Why: ConText drops a modifier that overlaps a target, so a catalogue phrase inside a
    cue ("two years", a duration, in "tore my ACL two years ago") would silently take the
    history away from everything around it. The pipeline uses these patterns to drop such
    targets instead: words saying *when* something happened are not a finding.
    """
    return [item["pattern"] for item in _rules_data()["rules"]
            if item["category"] == "HISTORICAL" and item.get("pattern")]


def _terminators(names: list[str]) -> set[str] | None:
    """Upper-cased terminating categories; a stronger break also ends a weaker one's scope.

    Overlapping modifier matches are pruned to the longest, so ", my" (a new clause, which
    ends negation) would hide the "," inside it (which ends history, family, worries): every
    rule ended by a clause break is therefore also ended by the stronger breaks.
    """
    out = {str(n).upper() for n in names}
    if "CLAUSE_BREAK" in out:
        out |= {"NEG_BREAK", "CLAUSE_BREAK_STRONG"}
    return out or None


def _default_rules_path() -> str:
    """medSpaCy's packaged English ConText rules (where its ConText class looks for them)."""
    from pathlib import Path

    import medspacy.context.context as ctx_module

    return str(Path(ctx_module.__file__).resolve().parents[2] / "resources" / "en"
               / "context_rules.json")
