"""The loaded, validated knowledge base: an immutable value the rest of Popliteal reads."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything clinical that Popliteal knows, keyed by id.

    ``content_hash`` is a digest of the files it came from; every result carries it so an
    answer can be traced to the exact data that produced it.
    """

    sources: dict[str, Source]
    findings: dict[str, Finding]
    conditions: dict[str, Condition]
    remedies: dict[str, Remedy]
    exercises: dict[str, Exercise]
    rulesets: tuple[TriageRuleSet, ...]
    screens: dict[str, InterviewScreen]
    content_hash: str
    version: str = field(default="")

    def __post_init__(self) -> None:
        if not self.version:
            from popliteal import __version__

            object.__setattr__(self, "version", f"{__version__}+kb.{self.content_hash}")

    @property
    def binary_findings(self) -> list[str]:
        """Ids of yes/no findings, the engine's evidence variables, in a stable order."""
        return sorted(f.id for f in self.findings.values() if f.kind is FindingKind.yes_no)

    @property
    def red_flags(self) -> frozenset[str]:
        return frozenset(f.id for f in self.findings.values() if f.red_flag)

    def finding(self, finding_id: str) -> Finding:
        """The finding ``finding_id``; raises ``UnknownFindingError`` with close matches."""
        try:
            return self.findings[finding_id]
        except KeyError:
            raise UnknownFindingError(finding_id, self.suggest(finding_id)) from None

    def suggest(self, finding_id: str, n: int = 3) -> list[str]:
        """Known finding ids closest to ``finding_id`` (for error messages)."""
        import difflib

        return difflib.get_close_matches(finding_id, list(self.findings), n=n, cutoff=0.5)


class UnknownFindingError(KeyError):
    """A finding id that is not in the catalogue."""

    def __init__(self, finding_id: str, suggestions: list[str]):
        self.finding_id = finding_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown finding id {finding_id!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])
