"""Choosing target spans, and reading coordinated phrases ("calf swollen and tender").

Why not the matcher's own pruning: it keeps one span per stretch of text, so two findings
said in overlapping words ("a sudden sharp pain at the back of my thigh" is both a sudden
onset and back-of-thigh pain) lost one of them. Here overlapping spans of *different*
findings are both kept; only a span lying wholly inside a longer span of another finding
gives way (the longer phrase is the more specific reading: "stopped smoking" is not
"smoking"), and spans of the same finding never overlap. A list inside a phrase states each
of its items, though: "swollen" in "swollen and tight" (a tense calf) is still a swelling.

Coordination: people share a head between two or more descriptions ("calf a bit swollen and
tender", "hurts to bend or straighten", "can't bend it or put weight on it", "swollen and
tender calf"). For every "and"/"or"/comma we also read the text as if the shared part had
been repeated, by running the same phrase rules over small rewritten token sequences, and
keep a match only if it uses words from both the shared part and the other conjunct.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from popliteal.language.rules import OTHER_TAG

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: Tokens that join two conjuncts.
CONJUNCTIONS = frozenset({"and", "or", "nor", "&", "/", "plus", ","})
#: Tokens that start a new clause: a shared head never reaches across them.
CLAUSE_STARTS = frozenset({".", ";", ":", "!", "?", "but", "because", "cos", "when",
                           "while", "although", "though", "since", "then", "after", "before",
                           "if", "however", "whereas", "until", "till", "(", ")"})
#: Longest stretch (tokens) searched for a shared head, and for the conjunct after the joint.
MAX_LEFT = 8
MAX_RIGHT = 6
#: At most this many content words may be swapped out for the other conjunct.
MAX_SWAPPED = 2
#: A conjunct starting with one of these is a new clause with its own subject ("... and I
#: can't bend it"), not a second description sharing the first one's words.
NEW_SUBJECTS = frozenset({"i", "he", "she", "it", "we", "they", "you", "there", "this",
                          "that", "im", "i'm", "it's", "i've", "i'd"})
#: A shared tail may not start with a preposition: "I can walk and stand on tiptoe" is not
#: "walk on tiptoe". "of" may: "the front and back of the knee" is the front of the knee too.
PREPOSITIONS = frozenset({"on", "in", "at", "to", "with", "into", "onto", "for", "from",
                          "by", "up", "down", "over", "under", "around", "about"})
#: A shared tail that is a noun phrase ("my knee", "the calf") goes only with a conjunct of
#: one word besides a pronoun ("I twisted and hurt my knee", "cramping and tingling in the
#: calf"): a longer one is a statement of its own ("my back hurts and so does my knee" is not
#: "my back hurts my knee").
DETERMINERS = frozenset({"my", "the", "a", "an", "his", "her", "your", "their", "our", "this",
                         "that", "these", "those", "its"})
_OF = frozenset({"of"})
#: Negation words (normalised: "n't", "nt" -> "not"). A reading that skips one ("Calf is not
#: warm or red" read as "calf ... red") would say the opposite of the text, and its span
#: would cover the word and so hide it from ConText: such a span starts after the word.
NEGATIONS = frozenset({"not", "no", "never", "neither", "without", "cannot", "nil", "none"})
_BARRIER = "\u2016"


def select(spans: Iterable[Span], secondary: Iterable[Span] = (),
           is_filler: Callable[[str], bool] = lambda _: False) -> list[Span]:
    """One reading per stretch and finding; different findings may overlap.

    Per finding, the longest spans win and never overlap. Across findings, a span wholly
    inside a longer span of another finding is dropped (unless it is made only of words
    the longer one skipped over, "suddenly" in "calf suddenly tightened up"), unless that
    longer span is
    ``secondary`` (a pain word + place reading that may stretch over a whole clause:
    "pain when walking ... in my calf" still says pain when walking).
    """
    unique: dict[tuple[int, int, str], Span] = {}
    weak: set[tuple[int, int, str]] = set()
    for span in secondary:
        key = (span.start, span.end, span.label_)
        unique.setdefault(key, span)
        weak.add(key)
    for span in spans:
        key = (span.start, span.end, span.label_)
        unique[key] = span
        weak.discard(key)
    ordered = sorted(unique.values(), key=lambda s: (-(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ordered:
        clash = False
        for other in kept:
            if other.label_ == span.label_:
                if span.start < other.end and other.start < span.end:
                    clash = True
                    break
            elif ((other.start, other.end, other.label_) not in weak
                  and not all(is_filler(t.norm_) for t in span)
                  and other.start <= span.start and span.end <= other.end
                  and (other.end - other.start) > (span.end - span.start)
                  and not _list_item(span, other, is_filler)):
                clash = True
                break
        if not clash:
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end, s.label_))


def _list_item(span: Span, outer: Span, is_filler: Callable[[str], bool]) -> bool:
    """Whether ``span`` is an item of a list inside ``outer``: an "and"/"or"/comma of
    ``outer`` stands next to it (fillers aside), "swollen" in "swollen and tight"."""
    doc = span.doc
    i = span.start - 1
    while i >= outer.start and is_filler(doc[i].norm_):
        i -= 1
    if i >= outer.start and doc[i].norm_ in CONJUNCTIONS:
        return True
    j = span.end
    while j < outer.end and is_filler(doc[j].norm_):
        j += 1
    return j < outer.end and doc[j].norm_ in CONJUNCTIONS


def _left_bound(doc: Doc, c: int) -> int:
    start = doc[c].sent.start
    i = c - 1
    while i >= start and c - i <= MAX_LEFT:
        if doc[i].norm_ in CLAUSE_STARTS:
            return i + 1
        i -= 1
    return i + 1


def _list_comma(doc: Doc, c: int) -> bool:
    """A comma joins list items only if an "and"/"or" follows in the same clause
    ("hot, swollen and painful"); otherwise it separates clauses ("achy, walking fine")."""
    for i in range(c + 1, doc[c].sent.end):
        norm = doc[i].norm_
        if norm in ("and", "or", "nor", "&"):
            return True
        if norm in CLAUSE_STARTS:
            return False
    return False


def _right_part(doc: Doc, c: int) -> list[int]:
    end = doc[c].sent.end
    out: list[int] = []
    i = c + 1
    while i < end and len(out) < MAX_RIGHT:
        norm = doc[i].norm_
        if norm in CLAUSE_STARTS or norm in CONJUNCTIONS or doc[i].is_space:
            break
        out.append(i)
        i += 1
    return out


def word_pairs(patterns: Iterable[list[dict[str, Any]]]) -> frozenset[tuple[str, str]]:
    """Every (word, next word) two consecutive words of some phrase pattern can be.

    A rewritten sequence can only match something new where the shared words meet the other
    conjunct, so sequences whose joint is no such pair are not worth matching.
    """
    out: set[tuple[str, str]] = set()
    for pattern in patterns:
        slots: list[list[str]] = []
        for tok in pattern:
            norm = tok.get("NORM")
            if norm is None or norm == ",":
                continue
            slots.append(list(norm["IN"]) if isinstance(norm, dict) else [norm])
        for a, b in zip(slots, slots[1:], strict=False):
            out.update((x, y) for x in a for y in b)
    return frozenset(out)


def of_heads(words: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """Every word some phrase (as written, ``words``) puts right before "of" ("back",
    "side", "swelling"): the words a shared "of ..." tail may be read onto."""
    return frozenset(a for seq in words for a, b in zip(seq, seq[1:], strict=False)
                     if b == "of")


def _ends_on(doc: Doc, head: list[int], words: frozenset[str],
             is_filler: Callable[[str], bool]) -> bool:
    """Whether ``head``'s last word other than fillers is one of ``words`` ("of", a
    determiner), so that what follows it belongs to that word's phrase."""
    for i in reversed(head):
        norm = doc[i].norm_
        if norm in words:
            return True
        if not is_filler(norm):
            return False
    return False


def coordinated(doc: Doc, is_filler: Callable[[str], bool],
                match: Callable[[Doc], list[Span]],
                pairs: frozenset[tuple[str, str]] | None = None,
                of_heads: frozenset[str] | None = None) -> list[Span]:
    """Spans (on ``doc``) found by reading each conjunct with the shared words repeated.

    ``match`` runs the phrase rules on a Doc; ``is_filler`` says whether a normalised word
    may stand between phrase words (those do not count as swapped content); ``pairs`` (see
    :func:`word_pairs`), if given, skips rewritten sequences whose joint no phrase has;
    ``of_heads`` (see :func:`of_heads`) are the words a shared "of ..." may follow (none if
    not given).
    """
    from spacy.tokens import Doc as DocClass

    # whether each token is a content word, worked out once: the loops below ask it of the
    # same tokens many times over
    is_content = [not (is_filler(t.norm_) or t.is_punct or t.norm_ in CONJUNCTIONS)
                  for t in doc]

    def content(idx: list[int]) -> list[int]:
        return [i for i in idx if is_content[i]]

    segments: list[tuple[list[int], set[int], set[int]]] = []  # (tokens, shared, new)
    seen: set[tuple[int, ...]] = set()

    def add(first: list[int], second: list[int], shared: list[int], new: list[int]) -> None:
        tokens = first + second
        key = tuple(tokens)
        if key in seen or not content(shared) or not content(new):
            return
        a, b = content(first), content(second)
        if not a or not b:
            return
        # a word twice in a row is the patient's emphasis ("pain pain"), never a rewrite's:
        # "back pain and knee pain" is not "back pain pain"
        if doc[a[-1]].norm_ == doc[b[0]].norm_:
            return
        if pairs is not None:
            # the joint, over content words or over the words as written: a phrase may
            # hold a filler there ("front" + "of my knee" meets "front of knee")
            words = [i for i in second if not doc[i].is_punct]
            joint = {(doc[a[-1]].norm_, doc[b[0]].norm_),
                     (doc[a[-1]].norm_, doc[words[0]].norm_)}
            if not joint & pairs:
                return
        seen.add(key)
        segments.append((tokens, set(content(shared)), set(content(new))))

    for c, token in enumerate(doc):
        if token.norm_ not in CONJUNCTIONS or c == 0:
            continue
        if token.norm_ == "," and not _list_comma(doc, c):
            continue
        right = _right_part(doc, c)
        if not right or doc[right[0]].lower_ in NEW_SUBJECTS:
            continue
        left = list(range(_left_bound(doc, c), c))
        if not left:
            continue
        # shared head: the start of the clause, then the other conjunct
        for p in range(1, len(left)):
            if len(content(left[p:])) > MAX_SWAPPED:
                continue
            head = left[:p]
            while head and doc[head[-1]].norm_ in CONJUNCTIONS:
                head = head[:-1]
            # a number belongs to the word after it: "two years ago and my knee" is not
            # "two ... knee"
            if head and doc[head[-1]].like_num:
                continue
            add(head, right, head, right)
        # shared tail: the conjunct just before the joint, then the end of the other one
        item: list[int] = []
        for i in reversed(left):
            if doc[i].norm_ in CONJUNCTIONS or len(item) >= 3:
                break
            item.insert(0, i)
        for q in range(1, len(right)):
            if len(content(right[:q])) > MAX_SWAPPED:
                break
            # nor start inside an "of ...": "the back of | my knee"
            if (doc[right[q]].norm_ in PREPOSITIONS
                    or _ends_on(doc, right[:q], _OF, is_filler)):
                continue
            if ((doc[right[q]].norm_ in DETERMINERS
                 or _ends_on(doc, right[:q], DETERMINERS, is_filler))
                    and len([i for i in content(item)
                             if doc[i].lower_ not in NEW_SUBJECTS]) > 1):
                continue
            # "of" binds its words to the word before it: "X and the back of my knee" shares
            # "of my knee" only with a word that takes an "of" ("the front and back of my
            # knee"), never with a clause ("my back hurts and the back of my knee")
            if doc[right[q]].norm_ == "of" and (
                    of_heads is None or not content(item)
                    or doc[content(item)[-1]].norm_ not in of_heads):
                continue
            add(item, right[q:], right[q:], item)
    if not segments:
        return []
    words: list[str] = []
    origin: list[int] = []  # virtual token -> doc token (-1 for barriers)
    for tokens, _, _ in segments:
        words.extend(doc[i].text for i in tokens)
        origin.extend(tokens)
        words.append(_BARRIER)
        origin.append(-1)
    virtual = DocClass(doc.vocab, words=words)
    for vt, i in zip(virtual, origin, strict=True):
        if i < 0:
            vt.norm_, vt.tag_ = _BARRIER, OTHER_TAG
            continue
        vt.norm_, vt.tag_ = doc[i].norm_, doc[i].tag_
    bounds: list[tuple[int, int, set[int], set[int]]] = []
    pos = 0
    for tokens, shared, new in segments:
        bounds.append((pos, pos + len(tokens), shared, new))
        pos += len(tokens) + 1
    from spacy.tokens import Span as SpanClass

    out: list[Span] = []
    for vspan in match(virtual):
        seg = next((b for b in bounds if b[0] <= vspan.start and vspan.end <= b[1]), None)
        if seg is None:
            continue
        used = {origin[k] for k in range(vspan.start, vspan.end)}
        if not (used & seg[2]) or not (used & seg[3]):
            continue
        lo, hi = min(used), max(used) + 1
        skipped = [k for k in range(lo, hi) if k not in used and doc[k].norm_ in NEGATIONS]
        if skipped:
            lo = skipped[-1] + 1
        out.append(SpanClass(doc, lo, hi, label=vspan.label_))
    return out
