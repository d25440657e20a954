"""Whether a time said in the text is about the symptoms, judged from its clause.

Why: "started a new job 6 months ago" says when the job began, not the pain; "started a
new job 6 months ago and the pain began 2 weeks ago" holds two times, and only the second
is the onset. A time belongs to the clause it is said in (a sentence split at "but",
"because", commas, semicolons, and at an "and" that brings a new subject: "... and the
pain began"). That clause speaks of the symptoms if it names one (pain, swelling, a body
part, an injury such as a twist, a fall or an accident, "it" or "this"), or says that
something started without naming what ("started 3 days ago", "began after a run").

A time whose clause names nothing else ("Two weeks ago, I twisted it", "pain, for a
week") is judged by its whole sentence. An event said with a time is often the occasion
of the injury ("Futsal on Sunday, my knee twisted"): it dates the symptoms when the rest
of its sentence names them without a time of their own. Something else that *started*
("a new job", "a new medicine") dates them only when they are tied to it ("... and my
knee has hurt ever since", "Since then ..."). Words only: plain regular expressions over
the normalised text, like the numbers they serve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Words that speak of the symptoms, the leg or an injury.
_SYMPTOM = re.compile(
    r"\b(?:pain\w*|hurt\w*|ache[sd]?|aching|achy|sore\w*|swell\w*|swollen|stiff\w*|limp\w*|"
    r"niggl\w*|bother\w*|symptoms?|problems?|issues?|injur\w*|twist\w*|tore|torn|tear\w*|"
    r"pull\w*|strain\w*|sprain\w*|fell|fall\w*|landed|landing|slipped|tripped|knock\w*|"
    r"bang\w*|collid\w*|collision|accident|crash\w*|tackled|pop\w*|snap\w*|crack\w*|"
    r"cramp\w*|throb\w*|tight\w*|"
    r"numb\w*|tingl\w*|lump|bump|bruis\w*|burn\w*|click\w*|lock\w*|gave way|giv\w* way|"
    r"buckl\w*|unstable|wobbl\w*|felt|feel\w*|noticed|happened|came on|come on|"
    r"on and off|it|this|that|knees?|calf|calves|legs?|thighs?|hamstrings?|shins?|"
    r"ankles?|foot|feet|hips?)\b", re.I)
_START = re.compile(r"\b(?:start\w*|began|begin\w*|begun)\b", re.I)
#: What follows a start verb up to one of these is what started ("started a new job");
#: not "at": "started at a new school" is the school.
_PREPOSITION = re.compile(r"\b(?:after|when|while|with|during|following|from|in|on|"
                          r"around|about|almost|nearly|over|some|roughly|like|maybe)\b",
                          re.I)
#: Words that name no event of their own: pronouns, auxiliaries, the time's own words.
_NEUTRAL = frozenset(
    "i i'm im i've ive me we you he she they a an the my his her our their some about "
    "around almost nearly roughly approximately maybe like just only exactly over past last "
    "for since ago back before now already liao le am is are was were be been being have "
    "has had do does did 've 's 'm so then and or up going on off still at in".split())
_BREAK = re.compile(
    r"[.!?\n;:,()]|\b(?:but|because|cos|although|though|however|whereas|until|till)\b|"
    r"\b(?:and|or|then)\s+(?=(?:i|i'm|i've|he|she|we|they|you|my|his|her|the|this|that|"
    r"there|it|it's|its|now|today|since)\b)", re.I)
_SENTENCE = re.compile(r"[.!?\n]")
#: Words that date the symptoms by the event before them.
_TIED = re.compile(r"\b(?:ever since|since then|since that|after that|from then on)\b|"
                   r"\bsince\s*$", re.I)
_TIED_NEXT = re.compile(r"\s*(?:ever since|since then|since that|after that|from then on|"
                        r"the next day|the day after|next morning|that night)\b", re.I)
_WORD = re.compile(r"[a-z']+", re.I)


def has_clause_break(text: str) -> bool:
    """Whether ``text`` holds a clause break: punctuation, "but", "because" ..., or an "and"
    that brings a new subject ("... and now it is swollen")."""
    return _BREAK.search(text) is not None


def about_symptoms(text: str, start: int, end: int,
                   others: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether the time at ``text[start:end]`` says when the symptoms (or injury) began.

    ``others``: the character ranges of the other times said in ``text``. A clause that
    names another event ("a netball match on Saturday") still dates the symptoms when the
    rest of its sentence names them with no time of their own ("..., I landed and my knee
    twisted"); one that says something else started ("started a new job") does only when
    they are tied to it ("ever since", or "Since then ..." opening the next sentence).
    """
    s_start, s_end = sentence_bounds(text, start, end)
    c_start, c_end = _bounds(text, start, end, _BREAK, s_start, s_end)
    verdict = _judge(text[c_start:start] + " " + text[end:c_end])
    if verdict is None:  # nothing but the time: its sentence decides
        c_start, c_end = s_start, s_end
        verdict = _judge(text[s_start:start] + " " + text[end:s_end])
    if verdict is not False:
        return True
    rest = text[s_start:c_start] + " " + text[c_end:s_end]
    if _TIED.search(text[c_end:s_end]) or _TIED_NEXT.match(text, s_end + 1):
        return True
    if _START.search(text[c_start:c_end]):
        return False  # something else started
    own_time = any(s_start <= a < s_end and not c_start <= a < c_end for a, _ in others)
    return bool(_SYMPTOM.search(rest)) and not own_time


def _judge(words: str) -> bool | None:
    """True: speaks of the symptoms; False: of something else; None: of nothing."""
    if _SYMPTOM.search(words):
        return True
    start = _START.search(words)
    if start is not None:
        rest = words[start.end():]
        stop = _PREPOSITION.search(rest)
        if not _content(rest[:stop.start()] if stop else rest):
            return True  # "started 3 days ago", "began after a run": what started is the pain
    return False if _content(words) else None


def _content(words: str) -> bool:
    return any(w.lower() not in _NEUTRAL for w in _WORD.findall(words)
               if not _START.fullmatch(w))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (between the nearest ``.!?`` or line breaks)."""
    return _bounds(text, start, end, _SENTENCE)


def _bounds(text: str, start: int, end: int, breaks: re.Pattern[str],
            lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The stretch around ``start:end`` between the nearest ``breaks`` within lo..hi."""
    hi = len(text) if hi is None else hi
    left = lo
    for m in breaks.finditer(text, lo, start):
        left = m.end()
    right = next((m.start() for m in breaks.finditer(text, end, hi)), hi)
    return left, right
