"""Token pattern matching that runs only the patterns a text can match.

Why: spaCy's ``Matcher`` starts every pattern at every token, so its cost grows with the
number of patterns, and the catalogue generates thousands of them (one per wording variant
of every phrase, see :mod:`popliteal.language.rules`). A narrative of 60 words can match
only the few dozen whose words it contains, yet the single medSpaCy ``TargetMatcher`` paid
for all of them on every text, and again for every coordinated reading.

How (:class:`KeyedMatcher`): a pattern token naming a literal word (``NORM``, ``LOWER`` or
``ORTH``: one word, or an ``IN`` list) without an ``OP`` must be matched by some token of
the text, so a pattern can only match a text holding one of the words of each such token (a
"slot"). Patterns are grouped under one slot each (the slot whose words the patterns use
least, so the group is seldom woken up); per text, a group's spaCy ``Matcher`` runs only if
one of its patterns has all its slots present, and only over the stretch of tokens between
the first word its patterns can start on and the last word they can end on. Matches cannot
start or end outside that stretch, and token patterns look at nothing but the tokens they
match, so the matches are exactly those of one ``Matcher`` holding every pattern.
:class:`KeyedTargetMatcher` does this for medSpaCy's target rules; the body rules and the
history cues use a :class:`KeyedMatcher` directly (built from :class:`Patterns`).

What stays medSpaCy's: the rules are medSpaCy ``TargetRule`` objects, and each match
becomes a ``Span`` the way ``TargetMatcher`` makes it (label = the rule's category,
``span._.target_rule`` = the rule, the rule's ``attributes`` set on the span). Rules this
cannot key (phrase or regex rules, callbacks, patterns without a literal slot) run in an
ordinary medSpaCy matcher on every text.

Order: matches come sorted by (end, start); spaCy gives them in the order its pattern
states finish, which is not quite that (a state that skipped a gap word moves to the back
of its queue; a pattern ending on optional tokens finishes a token late). Targets do not
depend on it: :func:`popliteal.language.spans.select` reads the spans as a set. Matches over
the same tokens (a tie, which ``filter_spans`` settles by keeping the first) keep spaCy's
order if they come from one group; with ``exact_ties`` a text with a tie across groups is
matched by the plain ``Matcher`` instead (the body rules use this). One visible trace on
targets: spaCy keeps a span's ``._`` values per character offsets, so spans of two rules
over the same words share one ``target_rule`` (the last one set), which may name the other
rule than the plain matcher's; our code never reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medspacy.common.medspacy_matcher import MedspacyMatcher
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

#: Pattern attributes naming a literal word -> the token attribute holding it.
LITERAL_ATTRS = {"NORM": "norm_", "LOWER": "lower_", "ORTH": "orth_", "TEXT": "orth_"}
#: A slot: the token attribute and the words one of which it must hold.
Slot = tuple[str, frozenset[str]]
Pattern = list[dict[str, Any]]


def literal_slot(token: dict[str, Any]) -> Slot | None:
    """The words one pattern token requires (a literal ``NORM``/``LOWER``/``ORTH``, or an
    ``IN`` list of them), or None if it may be skipped (an ``OP``) or tests anything else."""
    if any(str(key).upper() == "OP" for key in token):
        return None
    for key, value in token.items():
        attr = LITERAL_ATTRS.get(str(key).upper())
        if attr is None:
            continue
        if isinstance(value, str):
            return attr, frozenset([value])
        if (isinstance(value, dict) and set(value) == {"IN"} and value["IN"]
                and all(isinstance(w, str) for w in value["IN"])):
            return attr, frozenset(value["IN"])
    return None


@dataclass(frozen=True)
class _Keyed:
    """A pattern's prefilter: the slots a text must hold, and where its matches may lie."""

    pattern: int
    #: ids (into ``KeyedMatcher._slots``) of every required literal token
    slots: frozenset[int]
    #: the slot the pattern starts / ends with, None if it may start / end on anything
    first: int | None
    last: int | None


@dataclass
class _Group:
    """The patterns keyed under one slot, compiled into one spaCy ``Matcher``."""

    matcher: Matcher
    members: list[_Keyed]


class KeyedMatcher:
    """The matches of a spaCy ``Matcher`` holding ``patterns`` ((key, token pattern) pairs),
    found by running only the patterns whose required words occur in the text."""

    def __init__(self, vocab: Vocab, patterns: Iterable[tuple[str, Pattern]], *,
                 exact_ties: bool = False, validate: bool = False) -> None:
        """``validate``: have spaCy check each pattern's shape as it is added. Off by
        default: that check (pydantic, per pattern) was two thirds of building the pipeline
        at every start, and the patterns are generated by our code from the catalogue, so
        tests/language/test_pattern_validity.py checks every one of them with spaCy's own
        validator instead."""
        from spacy.matcher import Matcher

        self.patterns = list(patterns)
        self.keys = [vocab.strings.add(key) for key, _ in self.patterns]
        slot_id: dict[Slot, int] = {}
        keyed: list[_Keyed] = []
        unkeyed: list[int] = []
        for i, (_, pattern) in enumerate(self.patterns):
            slots = [literal_slot(tok) for tok in pattern]
            ids = [None if s is None else slot_id.setdefault(s, len(slot_id)) for s in slots]
            required = frozenset(s for s in ids if s is not None)
            if required:
                keyed.append(_Keyed(i, required, ids[0], ids[-1]))
            else:
                unkeyed.append(i)
        self._slots: list[Slot] = sorted(slot_id, key=slot_id.__getitem__)
        self._attrs = sorted({attr for attr, _ in self._slots})
        # how many patterns need each word: a slot of words few patterns use is a good key
        use = Counter((attr, w) for k in keyed for s in k.slots
                      for attr, words in [self._slots[s]] for w in words)

        def rarity(slot: int) -> tuple[int, int]:
            attr, words = self._slots[slot]
            return sum(use[attr, w] for w in words), slot

        # the plain matcher, for the texts where the order of a tie is not known
        self._plain: Matcher | None = None
        if exact_ties:
            self._plain = Matcher(vocab, validate=validate)
            for name, pattern in self.patterns:
                self._plain.add(name, [pattern])
        # when asked, spaCy checks each pattern once: by the plain matcher if there is one,
        # else by its group's
        check = validate and not exact_ties
        self._index: dict[int, int] = {}  # group match key -> pattern index
        self._groups: dict[int, _Group] = {}
        for k in keyed:
            key = min(k.slots, key=rarity)
            group = self._groups.get(key)
            if group is None:
                group = self._groups[key] = _Group(Matcher(vocab, validate=check), [])
            self._add(group.matcher, vocab, k.pattern)
            group.members.append(k)
        self._slots_of: dict[tuple[str, str], list[int]] = {}
        for s, (attr, words) in enumerate(self._slots):
            for w in words:
                self._slots_of.setdefault((attr, w), []).append(s)
        self._unkeyed: Matcher | None = None
        if unkeyed:
            self._unkeyed = Matcher(vocab, validate=check)
            for i in unkeyed:
                self._add(self._unkeyed, vocab, i)

    def _add(self, matcher: Matcher, vocab: Vocab, i: int) -> None:
        # one match key per pattern: spaCy drops repeats of a (key, start, end) per key, so
        # patterns sharing a key are told apart here and deduplicated in __call__
        matcher.add(f"{i}", [self.patterns[i][1]])
        self._index[vocab.strings.add(f"{i}")] = i

    def __len__(self) -> int:
        return len(self.patterns)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(match key, start, end) of every match, each once, as ``Matcher`` gives them.

        Sorted by (end, start); matches over the same tokens come in spaCy's order if
        ``exact_ties`` was set (see :meth:`_tie_unknown`), otherwise in no set order.
        """
        found = self._run(doc)
        if self._plain is not None and self._tie_unknown(found):
            return list(self._plain(doc))
        seen: set[tuple[int, int, int]] = set()
        out: list[tuple[int, int, int]] = []
        for end, start, _, i, _ in sorted(found):
            match = (self.keys[i], start, end)
            if match not in seen:
                seen.add(match)
                out.append(match)
        return out

    def find(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of every match, sorted by (end, start), repeats of a
        (key, start, end) included (one per pattern)."""
        return [(i, start, end) for end, start, _, i, _ in sorted(self._run(doc))]

    def _run(self, doc: Doc) -> list[tuple[int, int, int, int, int]]:
        """(end, start, rank, pattern, group) of every match: ``rank`` counts the matches
        in the order the groups' matchers give them (spaCy's order within a group)."""
        # where each word, then each slot's words, first and last occur; a slot not in
        # ``first`` is absent from the text
        word_first: dict[tuple[str, str], int] = {}
        word_last: dict[tuple[str, str], int] = {}
        for attr in self._attrs:
            for i, word in enumerate([getattr(token, attr) for token in doc]):
                word_first.setdefault((attr, word), i)
                word_last[attr, word] = i
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for word, i in word_first.items():
            j = word_last[word]
            for s in self._slots_of.get(word, ()):
                if first.get(s, i) >= i:
                    first[s] = i
                if last.get(s, j) <= j:
                    last[s] = j
        found: list[tuple[int, int, int, int, int]] = []
        for key in sorted(first.keys() & self._groups.keys()):
            group = self._groups[key]
            lo, hi = len(doc), 0
            for k in group.members:
                if not k.slots <= first.keys():
                    continue
                lo = min(lo, 0 if k.first is None else first[k.first])
                hi = max(hi, len(doc) if k.last is None else last[k.last] + 1)
            if lo < hi:
                for match_key, start, end in group.matcher(doc[lo:hi]):
                    found.append((lo + end, lo + start, len(found), self._index[match_key],
                                  key))
        if self._unkeyed is not None:
            for match_key, start, end in self._unkeyed(doc):
                found.append((end, start, len(found), self._index[match_key], -1))
        return found

    def _tie_unknown(self, found: list[tuple[int, int, int, int, int]]) -> bool:
        """Whether matches of different keys over the same tokens came from different
        groups: spaCy's order between those is not known without the plain matcher.

        Within one group it is: a group's ``Matcher`` gives its matches in the order one
        ``Matcher`` holding every pattern would (spaCy follows each pattern's states on
        their own, in the order the patterns were added, and a group adds them in that
        order), and a consumer such as ``filter_spans`` keeps the first of a tie.
        """
        keys: dict[tuple[int, int], set[int]] = {}
        groups: dict[tuple[int, int], set[int]] = {}
        for end, start, _, i, group in found:
            keys.setdefault((start, end), set()).add(self.keys[i])
            groups.setdefault((start, end), set()).add(group)
        return any(len(k) > 1 and len(groups[at]) > 1 for at, k in keys.items())


class Patterns:
    """Token patterns under their match keys, collected to build a matcher from later.

    Why: the same patterns become a :class:`KeyedMatcher` (the pipeline) or a plain spaCy
    ``Matcher`` built call for call as before (the reference the tests compare with).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[Pattern]]] = []

    def add(self, key: str, patterns: Iterable[Pattern]) -> None:
        """Like ``Matcher.add``: ``patterns`` under ``key``."""
        self.calls.append((key, list(patterns)))

    def build(self, vocab: Vocab, keyed: bool, exact_ties: bool = False) -> Any:
        """A :class:`KeyedMatcher` of the patterns, or (``keyed=False``) a plain one."""
        if keyed:
            return KeyedMatcher(vocab, [(key, p) for key, ps in self.calls for p in ps],
                                exact_ties=exact_ties)
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        for key, patterns in self.calls:
            matcher.add(key, patterns)
        return matcher


class KeyedTargetMatcher:
    """Same matches as a medSpaCy ``TargetMatcher(result_type=None, prune=False)`` holding
    ``rules``, found with a :class:`KeyedMatcher`."""

    def __init__(self, nlp: Language, rules: Iterable[Any]) -> None:
        from medspacy.common.medspacy_matcher import MedspacyMatcher

        self.rules: list[Any] = list(rules)
        tokens = [i for i, rule in enumerate(self.rules)
                  if isinstance(rule.pattern, list) and rule.pattern
                  and rule.on_match is None]
        self._keyed_rules = tokens
        self._keyed = KeyedMatcher(nlp.vocab, [(f"rule{i}", self.rules[i].pattern)
                                               for i in tokens])
        # phrase and regex rules, and rules with callbacks, as medSpaCy runs them
        others = sorted(set(range(len(self.rules))) - set(tokens))
        self._position = {id(self.rules[i]): i for i in others}
        self._others: MedspacyMatcher | None = None
        if others:
            self._others = MedspacyMatcher(nlp, name="popliteal_unkeyed_targets",
                                           prune=False)
            self._others.add([self.rules[i] for i in others])

    def __len__(self) -> int:
        return len(self.rules)

    def __call__(self, doc: Doc) -> list[Span]:
        """The target spans of ``doc``, as medSpaCy's ``TargetMatcher`` would make them."""
        from spacy.tokens import Span as SpanClass

        return [_target_span(doc, start, end, self.rules[i], SpanClass)
                for i, start, end in self.find(doc)]

    def find(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of every match in ``doc``, sorted by (end, start)."""
        found = [(end, start, self._keyed_rules[i]) for i, start, end in self._keyed.find(doc)]
        if self._others is not None:
            strings = doc.vocab.strings
            rule_map = self._others.rule_map
            found += [(end, start, self._position[id(rule_map[strings[key]])])
                      for key, start, end in self._others(doc)]
            found.sort(key=lambda m: m[:2])
        return [(i, start, end) for end, start, i in found]


def _target_span(doc: Doc, start: int, end: int, rule: Any, span_class: Any) -> Span:
    """A match as medSpaCy's ``TargetMatcher.__call__`` makes it."""
    span: Span = span_class(doc, start=start, end=end, label=rule.category)
    span._.target_rule = rule
    if rule.attributes is not None:
        for attribute, value in rule.attributes.items():
            setattr(span._, attribute, value)
    return span


def plain_target_matcher(nlp: Language, rules: Sequence[Any]) -> Any:
    """The plain medSpaCy ``TargetMatcher`` holding ``rules`` (every pattern at every token):
    the reference :class:`KeyedTargetMatcher` is checked against."""
    matcher: Any = nlp.add_pipe("medspacy_target_matcher",
                                config={"result_type": None, "prune": False})
    matcher.add(list(rules))
    return matcher


def key_context_matcher(context: Any, vocab: Vocab) -> bool:
    """Have medSpaCy's ``ConText`` find its token-pattern cues with a :class:`KeyedMatcher`.

    Why: ConText tries each of its several hundred cue patterns (medSpaCy's defaults and
    ours) at every token of every text; that was a third of reading a new text. Its
    ``MedspacyMatcher`` holds them in one spaCy ``Matcher`` under one key per rule; this puts
    a :class:`KeyedMatcher` holding the same patterns under the same keys in its place. The
    matches are the same (``exact_ties``: identical spans of two cues keep spaCy's order, as
    ConText's pruning of overlapping cues keeps the first of equals); the phrase and regex
    cues still run as medSpaCy runs them. tests/language/test_matcher_equivalence.py
    compares every target's modifiers with the plain pipeline's.

    The attributes are medSpaCy's private ones (``medspacy>=1.3,<2``): if they are not there,
    or a token cue has a callback, nothing is replaced and False is returned (the plain
    matcher then runs, slower but the same).
    """
    outer: Any = getattr(context, "_ConText__matcher", None)
    inner = getattr(outer, "_MedspacyMatcher__matcher", None)
    rule_map = getattr(outer, "rule_map", None)
    if outer is None or inner is None or not isinstance(rule_map, dict):
        return False
    token_rules = [(rule_id, rule) for rule_id, rule in rule_map.items()
                   if isinstance(getattr(rule, "pattern", None), list)]
    if len(token_rules) != len(inner) or any(rule.on_match is not None
                                             for _, rule in token_rules):
        return False
    outer._MedspacyMatcher__matcher = KeyedMatcher(
        vocab, [(rule_id, rule.pattern) for rule_id, rule in token_rules], exact_ties=True)
    return True
