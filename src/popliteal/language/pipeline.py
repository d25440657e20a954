"""The medSpaCy pipeline, built once per knowledge base.

Why: building it (thousands of generated target rules, ConText rules, the spelling index)
takes a while, and importing spaCy/medSpaCy takes longer, so both happen lazily, on the
first text, and the result is cached by the knowledge base's ``content_hash``: a changed
catalogue gets a new pipeline, the same one is never rebuilt.

Steps, in order: tokenise (blank English) -> split sentences -> normalise tokens (see
:mod:`popliteal.language.lexicon`) -> match targets (medSpaCy target rules generated from
the catalogue's phrases, of which only those whose words the text holds are run, see
:mod:`popliteal.language.matching`; also over coordinated phrases, see
:mod:`popliteal.language.spans`) -> body rules
(pain word + place, sides and tenderness of the part talked about, pain spreading down
the leg, see :mod:`popliteal.language.spreading`, bare words attached to their body part,
normality statements, no reading holding a statement that rules its own finding out ("my
back is fine and the pain ..."), and no phrase reading "the back of the knee" as the
back, see :mod:`popliteal.language.bodymap`; matched the same keyed way) -> drop spans
lying inside a history cue ("two years" in "two years ago"; keyed too) -> choose spans
(different findings may overlap) -> ConText (medSpaCy's default rules plus ours in
``data/context_rules.yaml``; its token cues keyed too) over the span group
:data:`TARGETS`.

Sentence splitting uses spaCy's rule-based ``sentencizer`` plus line breaks, not PyRuSH:
PyRuSH formats a debug message per token even when its logger is disabled, which cost about
6 ms per narrative, most of the time budget. Pass ``sentence_splitter="pyrush"`` to use it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from popliteal.language.bodymap import BodyRules
from popliteal.language.context import ContextSettings, history_patterns, load_context_rules
from popliteal.language.lexicon import Lexicon
from popliteal.language.matching import (
    KeyedTargetMatcher,
    Patterns,
    key_context_matcher,
    plain_target_matcher,
)
from popliteal.language.rules import FILLER_TAG, OTHER_TAG, build_patterns, target_rules
from popliteal.language.spans import coordinated, of_heads, select, word_pairs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from popliteal.knowledge import KnowledgeBase

SentenceSplitter = Literal["sentencizer", "pyrush"]
#: "keyed" runs only the rules a text can match (see :mod:`.matching`); "plain" is the
#: medSpaCy ``TargetMatcher`` and spaCy ``Matcher``s over every rule, the reference it equals.
Matching = Literal["keyed", "plain"]
#: The span group holding the chosen target spans (overlapping spans are allowed there).
TARGETS = "popliteal_targets"


@dataclass
class LanguagePipeline:
    """A ready pipeline for one knowledge base: call :meth:`process` on normalised text."""

    nlp: Language
    lexicon: Lexicon
    context: ContextSettings
    rule_count: int
    build_seconds: float
    body: BodyRules | None = None
    pairs: frozenset[tuple[str, str]] | None = None
    #: words some phrase puts before "of", see :func:`~popliteal.language.spans.of_heads`
    of_heads: frozenset[str] | None = None
    #: matches the history cues ("two years ago"), see :func:`history_patterns`
    history: Any = None
    _steps: list[Any] = field(default_factory=list)

    def process(self, text: str) -> Doc:
        """Tokenise and annotate ``text`` (already passed through ``normalise_text``)."""
        doc = self.nlp.make_doc(text)
        splitter, matcher, context = self._steps
        doc = splitter(doc)
        _split_at_line_breaks(doc)
        norm = self.lexicon.text_norm
        fillers = self.lexicon.fillers
        for token in doc:  # every token gets a tag: spaCy's matcher wants TAG set throughout
            if token.is_space or token.is_punct:
                token.tag_ = OTHER_TAG
                continue
            token.norm_ = norm(token.norm_)
            token.tag_ = FILLER_TAG if token.norm_ in fillers else OTHER_TAG
        found: list[Span] = list(matcher(doc))
        # coordinated readings and pain-word + place readings stretch over other words, so
        # they never push out a finding said inside them
        secondary = coordinated(doc, fillers.__contains__, matcher, self.pairs,
                                self.of_heads)
        if self.body is not None:
            hits = self.body.find(doc)
            echoes: list[Span] = []
            found = self.body.attach(doc, found, hits.parts, echoes) + hits.normal
            secondary = self.body.attach(doc, secondary, hits.parts) + hits.locations
            secondary += echoes
            # "back" in "the front and back of the knee" is the knee's, not the lower back
            found = self.body.keep_parts(found, hits.regions)
            secondary = self.body.keep_parts(secondary, hits.regions)
            # "pain on the inner side" after "my calf" is the inner calf
            found = self.body.side_parts(doc, found, hits.parts)
            secondary = self.body.side_parts(doc, secondary, hits.parts)
            # "my back is fine and the pain ..." is no back pain
            found = self.body.not_ruled_out(found, hits.normal)
            secondary = self.body.not_ruled_out(secondary, hits.normal)
        if self.history is not None:
            # "two years" inside "two years ago" says when, and would hide the cue from ConText
            cues = [(start, end) for _, start, end in self.history(doc)]
            found = _outside(found, cues)
            secondary = _outside(secondary, cues)
        doc.spans[TARGETS] = select(found, secondary, fillers.__contains__)
        return context(doc)  # type: ignore[no-any-return]

    @staticmethod
    def targets(doc: Doc) -> list[Span]:
        """The chosen target spans of a processed doc (with ConText modifiers)."""
        return list(doc.spans[TARGETS]) if TARGETS in doc.spans else []


_CACHE: dict[tuple[str, str, str], LanguagePipeline] = {}
_LOCK = threading.Lock()
#: How pipelines from :func:`get_pipeline` match rules (see :func:`use_matching`).
_MATCHING: Matching = "keyed"


def get_pipeline(kb: KnowledgeBase, sentence_splitter: SentenceSplitter = "sentencizer"
                 ) -> LanguagePipeline:
    """The pipeline for ``kb``, built on first use and cached by ``kb.content_hash``."""
    matching = _MATCHING
    key = (kb.content_hash, sentence_splitter, matching)
    with _LOCK:
        pipe = _CACHE.get(key)
        if pipe is None:
            pipe = build_pipeline(kb, sentence_splitter, matching)
            _CACHE[key] = pipe
        return pipe


def use_matching(matching: Matching) -> None:
    """Make :func:`get_pipeline` (and so every reading) match rules with ``matching``.

    Why: the benchmark times the plain matchers ("plain") beside the default ("keyed")
    through the same calls. Both read every text the same; only the speed differs.
    """
    global _MATCHING
    with _LOCK:
        _MATCHING = matching


def clear_cache() -> None:
    """Forget every built pipeline (tests; long-running processes after a data reload)."""
    with _LOCK:
        _CACHE.clear()


def build_pipeline(kb: KnowledgeBase, sentence_splitter: SentenceSplitter = "sentencizer",
                   matching: Matching = "keyed") -> LanguagePipeline:
    """Build a fresh pipeline for ``kb`` (uncached; prefer :func:`get_pipeline`).

    ``matching="plain"`` matches the target rules, body rules and history cues the plain
    (slow) way: every rule tried at every token. It finds the same matches and is kept as
    the reference the equivalence tests compare against.
    """
    started = time.perf_counter()
    import spacy

    if sentence_splitter == "pyrush":
        _silence_pyrush()
    import medspacy  # noqa: F401  (registers the medspacy_* factories)

    nlp = spacy.blank("en")
    if sentence_splitter == "pyrush":
        splitter = nlp.add_pipe("medspacy_pyrush")
    else:
        splitter = nlp.add_pipe("sentencizer")
    lexicon = Lexicon.load()
    patterns = build_patterns(nlp, kb, lexicon)
    catalogue_rules = target_rules(patterns)
    matcher: Any = (KeyedTargetMatcher(nlp, catalogue_rules) if matching == "keyed"
                    else plain_target_matcher(nlp, catalogue_rules))
    body = BodyRules.build(nlp, lexicon, keyed=matching == "keyed")
    settings, rules = load_context_rules()
    context: Any = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "prune_on_modifier_overlap": True,
                "prune_on_target_overlap": True, "input_span_type": "group",
                "span_group_name": TARGETS},
    )
    context.add(rules)
    if matching == "keyed":
        key_context_matcher(context, nlp.vocab)
    cues = Patterns()
    cues.add("HISTORY", history_patterns())
    history = cues.build(nlp.vocab, keyed=matching == "keyed")
    return LanguagePipeline(
        nlp=nlp,
        lexicon=lexicon,
        context=settings,
        rule_count=len(patterns),
        build_seconds=time.perf_counter() - started,
        body=body,
        pairs=word_pairs(p.pattern for p in patterns),
        of_heads=of_heads(p.words for p in patterns),
        history=history,
        _steps=[splitter, matcher, context],
    )


def _outside(spans: list[Span], cues: list[tuple[int, int]]) -> list[Span]:
    """The spans not lying wholly inside one of ``cues`` (token ranges)."""
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in cues)]


def _split_at_line_breaks(doc: Doc) -> None:
    """A line break ends a sentence: patients often write lists without full stops."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True


def _silence_pyrush() -> None:
    """Turn off PyRuSH's loguru DEBUG output without touching other loguru users."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        return
    logger.disable("PyRuSH")
