"""A one-page Markdown summary of an assessment, for the physiotherapist who sees the patient.

Why Markdown: it reads as plain text in an email or a booking note and renders as a page in
the web app. Why this order: a physio reads urgency first (triage level, its reasons and any
clinical prediction rule such as Wells), then what the patient actually said (each finding
with the words that showed it, so a misreading is obvious), then the ranked causes with the
likelihood ratios behind them (checkable, not a black box), then what the patient was told.

Everything printed comes from :class:`popliteal.results.AssessmentResult`; patient text is
escaped so it cannot break a table or inject HTML where the Markdown is rendered.
"""

from __future__ import annotations

import re

from popliteal.knowledge import TriageLevel
from popliteal.results import (
    AssessmentResult,
    Contribution,
    FindingResult,
    RankedCondition,
    ScoreResult,
)

TOP_CAUSES = 5
MAX_REASONS = 5
MAX_EVIDENCE_CHARS = 120

LEVEL_WORDS: dict[TriageLevel, str] = {
    TriageLevel.emergency_now: "EMERGENCY NOW: ambulance (995) or emergency department",
    TriageLevel.urgent_same_day: "URGENT: to be seen by a doctor today",
    TriageLevel.doctor_soon: "Doctor soon: see a doctor within a few days",
    TriageLevel.physio: "Physiotherapy: routine assessment",
    TriageLevel.self_care: "Self-care: book if not better in 1-2 weeks",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<#])")
_HTML = re.compile(r"(<)")


def _esc(text: str, limit: int | None = None) -> str:
    """One line of untrusted text made safe for a Markdown table cell or paragraph."""
    flat = " ".join(str(text).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _code(identifier: str) -> str:
    """Our own identifiers (rule ids) as inline code: readable raw, no escaping needed."""
    return "`" + identifier.replace("`", "") + "`"


def _pct(p: float) -> str:
    if p < 0.01:
        return "<1%"
    if p > 0.99:
        return ">99%"
    return f"{p * 100:.0f}%"


def _lr(value: float) -> str:
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def _points(value: float) -> str:
    return f"{value:+g}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _triage_section(result: AssessmentResult) -> list[str]:
    triage = result.triage
    out = [f"## Triage: {triage.level.value}", "", f"**{LEVEL_WORDS[triage.level]}**", ""]
    out += [f"- {_esc(reason)}" for reason in triage.reasons] or ["- (no reasons recorded)"]
    if triage.details:
        out += ["", "Rules that fired:", ""]
        out += _table(
            ["Rule", "Level", "For the clinician"],
            [[_code(d.rule), d.level.value, _esc(d.clinician)] for d in triage.details],
        )
    for score in triage.scores:
        out += ["", *_score_block(score)]
    return out


def _score_block(score: ScoreResult) -> list[str]:
    status = "complete" if score.complete else "INCOMPLETE: some items not answered"
    head = f"### {_esc(score.title)}: {score.total:g} ({_esc(score.band)}; {status})"
    met_words = {True: "yes", False: "no", None: "not answered"}
    rows = [[_esc(i.label), _points(i.points), met_words[i.met]] for i in score.items]
    return [head, "", *_table(["Item", "Points", "Met"], rows)]


def _finding_row(f: FindingResult) -> list[str]:
    label = _esc(f.label) + (" **(red flag)**" if f.red_flag else "")
    if not f.evidence:
        words = "—"
    elif f.source == "text":  # the patient's own words: quoted, so they read as a quotation
        words = f"“{_esc(f.evidence, MAX_EVIDENCE_CHARS)}”"
    else:
        words = _esc(f.evidence, MAX_EVIDENCE_CHARS)
    if f.value is not None:
        value = ", ".join(f.value) if isinstance(f.value, list) else f"{f.value}"
        words = f"{_esc(value)}; {words}" if f.evidence else _esc(value)
    source = f.source + (" (overrides text)" if f.overrides_text else "")
    return [label, source, words]


def _findings_section(result: AssessmentResult) -> list[str]:
    out = ["## Findings"]
    header = ["Finding", "Source", "Patient's words / answer"]
    for title, present in (("Present", True), ("Absent", False)):
        rows = [_finding_row(f) for f in result.findings if f.present is present]
        out += ["", f"### {title}", ""]
        out += _table(header, rows) if rows else ["(none)"]
    unknown = [_esc(f.label) for f in result.findings if f.present is None]
    if unknown:
        out += ["", f"Not known: {', '.join(unknown)}."]
    return out


def _reasons(items: list[Contribution]) -> str:
    shown = [
        f"{_esc(c.label)}: {'yes' if c.present else 'no'} (LR {_lr(c.likelihood_ratio)})"
        for c in items[:MAX_REASONS]
    ]
    more = len(items) - MAX_REASONS
    if more > 0:
        shown.append(f"and {more} more")
    return "; ".join(shown) if shown else "—"


def _causes_section(result: AssessmentResult) -> list[str]:
    top: list[RankedCondition] = result.conditions[:TOP_CAUSES]
    out = [f"## Likely causes (top {len(top)} of {len(result.conditions)})", ""]
    out += _table(
        ["#", "Cause", "Probability", "Prior", "Urgency if so"],
        [
            [str(n), _esc(c.name), _pct(c.probability), _pct(c.prior), c.urgency.value]
            for n, c in enumerate(top, 1)
        ],
    )
    out += ["", "Likelihood ratios (LR) are P(answer | cause) / P(answer | baseline).", ""]
    for n, c in enumerate(top, 1):
        out += [
            f"**{n}. {_esc(c.name)}** ({_pct(c.probability)})",
            f"- for: {_reasons(c.reasons_for)}",
            f"- against: {_reasons(c.reasons_against)}",
            "",
        ]
    return out[:-1]


def physio_summary_markdown(result: AssessmentResult, plan_text: str | None = None) -> str:
    """One page of Markdown summarising ``result`` for a physiotherapist.

    Args:
        result: the assessment, exactly as the pipeline returned it.
        plan_text: the care plan as the patient was given it. Our own text, so its Markdown
            (bullets, bold) is kept; only ``<`` and ``>`` are escaped so it cannot inject
            HTML. When ``None`` the page says that no plan was attached.

    Returns:
        Markdown text: headings and short tables, triage first.
    """
    out = [
        f"# Physiotherapy summary: {result.age}-year-old {result.sex}",
        "",
        f"Triage **{result.triage.level.value}**"
        + (
            f" · most likely: {_esc(result.conditions[0].name)} "
            f"({_pct(result.conditions[0].probability)})"
            if result.conditions
            else ""
        ),
        "",
        *_triage_section(result),
        "",
        *_findings_section(result),
        "",
        *_causes_section(result),
        "",
        "## Plan given to the patient",
        "",
    ]
    if plan_text and plan_text.strip():
        out += [_HTML.sub(r"\\\1", line.rstrip()) for line in plan_text.strip().splitlines()]
    else:
        out.append("(no plan attached to this summary)")
    if result.unparsed_sentences:
        out += ["", "## Patient's words not understood (please read)", ""]
        out += [f"> {_esc(s)}" for s in result.unparsed_sentences]
    out += [
        "",
        "---",
        "",
        f"Knowledge base version: {_esc(result.knowledge_version)}",
        "",
        f"*{_esc(result.disclaimer)}*",
        "",
    ]
    return "\n".join(out)
