"""Over-the-counter pain relief behind the anti-inflammatory safety screen (D.1).

Why the screen runs first: the article suggests NSAIDs without caveats. For a person who is 65
or over, has kidney disease, a stomach ulcer, heart failure, NSAID-sensitive asthma, takes a
blood thinner or is pregnant, that advice can cause harm. The screen is computed before a
single word about anti-inflammatories is written; a positive screen switches the advice to
paracetamol and the pharmacist and says why. Doses are never given beyond "as the packet and
your pharmacist say".
"""

from __future__ import annotations

from popliteal.care.context import CareContext
from popliteal.care.plan import NsaidScreen, PainRelief
from popliteal.care.schema import Claim
from popliteal.knowledge import TriageLevel

NSAIDS = ("oral_nsaid", "topical_nsaid")


def run_screen(ctx: CareContext) -> tuple[NsaidScreen, set[str]]:
    """The screen result and the remedy ids it rules out."""
    reasons: list[str] = []
    items: list[str] = []
    blocks: set[str] = set()
    for item in ctx.guide.pain_relief.screen:
        hit = (item.finding is not None and item.finding in ctx.present) or (
            item.age_min is not None and ctx.age >= item.age_min)
        if hit:
            items.append(item.id)
            reasons.append(item.reason)
            blocks.update(item.blocks)
            ctx.sources.update(item.sources)
    return NsaidScreen(positive=bool(items), reasons=reasons, items=items), blocks


def _because(reasons: list[str]) -> str:
    if len(reasons) == 1:
        return reasons[0]
    return "; ".join(reasons[:-1]) + "; and " + reasons[-1]


def build_pain_relief(ctx: CareContext) -> PainRelief:
    text = ctx.guide.pain_relief
    screen, screen_blocks = run_screen(ctx)  # before any anti-inflammatory is mentioned
    advice: list[str] = []
    suggested: list[str] = []

    def say(claim: Claim, remedy: str | None = None) -> None:
        line = ctx.use(claim)
        if line and line not in advice:
            advice.append(line)
            if remedy and remedy not in suggested:
                suggested.append(remedy)

    if ctx.level is TriageLevel.emergency_now:
        for claim in text.emergency:
            say(claim)
        return PainRelief(advice=advice, nsaid_screen=screen, suggested=[])

    say(text.paracetamol, "paracetamol")
    if ctx.level is TriageLevel.urgent_same_day:
        for claim in text.urgent:
            say(claim)
        if screen.positive:
            advice.append(f"{text.screen_positive.text} {_because(screen.reasons)}.")
            ctx.sources.update(text.screen_positive.sources)
        return PainRelief(advice=advice, nsaid_screen=screen, suggested=suggested)

    topical_ok = ctx.allowed("topical_nsaid") and "topical_nsaid" not in screen_blocks
    oral_ok = ctx.allowed("oral_nsaid") and "oral_nsaid" not in screen_blocks
    if screen.positive:
        advice.append(f"{text.screen_positive.text} {_because(screen.reasons)}.")
        ctx.sources.update(text.screen_positive.sources)
    if ctx.clot_suspected:
        say(text.clot)
    elif screen.positive:
        if topical_ok:
            say(text.topical_after_screen, "topical_nsaid")
    else:
        if topical_ok and "knee_osteoarthritis" in ctx.condition_ids:
            say(text.osteoarthritis)
        if topical_ok:
            say(text.topical, "topical_nsaid")
        if oral_ok:
            say(text.oral, "oral_nsaid")
        elif ctx.blocked.get("oral_nsaid"):
            advice.append(
                "Anti-inflammatory tablets are not suggested for now, because "
                f"{ctx.blocked['oral_nsaid']}."
            )
        if (topical_ok or oral_ok) and {"injury", "onset_recent"} <= ctx.present:
            say(text.fresh_injury)
    for claim in text.general:
        say(claim)
    return PainRelief(advice=advice, nsaid_screen=screen, suggested=suggested)
