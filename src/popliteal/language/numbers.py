"""Numbers and times in patients' words: onset, pain score, stiffness, travel, side, age.

Why regular expressions and not the phrase rules: a number's *value* matters ("3 days" and
"3 months" point to different causes), and catalogue phrases cannot carry values. Each
mention keeps its character span so the evidence shown to a clinician is the patient's own
words. Number words ("two weeks", "a couple of days") count like digits.

The text given is expected to be ``normalise_text`` output (same length as the original,
hyphens between words turned into spaces), so "12-hour flight" reads "12 hour flight".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from popliteal.language.clauses import about_symptoms, sentence_bounds

_WORD_NUMBERS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "a couple of": 2, "couple of": 2, "a couple": 2, "a few": 3, "few": 3, "several": 4,
    "a dozen": 12, "half a": 0.5, "half an": 0.5, "an": 1, "a": 1, "one and a half": 1.5,
}
_WORDS_RE = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
# The lookahead is only a fast way to fail: Python's regex engine has no index into an
# alternation, so it tries every number word at every word boundary of a text; the character
# class of their first letters (and digits) turns most positions down at once. It admits
# everything the alternation can match, so the matches are the same.
_FIRST = "".join(sorted({w[0] for w in _WORD_NUMBERS}))
NUM = rf"(?=[\d{_FIRST}])(?:\d+(?:\.\d+)?|{_WORDS_RE})"
_NUM_RANGE = rf"(?P<num>{NUM})(?:\s*(?:-|to|or)\s*(?P<num2>\d+(?:\.\d+)?))?"
#: Between a number and its unit: nothing after digits ("3days"), a space after words, so
#: "and" never reads as "an" + "d".
SEP = r"(?:(?<=\d)\s*|\s+)"

_DAYS_PER_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30,
                  "year": 365}
_UNIT = r"(?P<unit>hours?|hrs?|days?|d|weeks?|wks?|fortnights?|months?|mths?|years?|yrs?|/52)"
_UNIT_KEY = {"h": "hour", "hr": "hour", "d": "day", "wk": "week", "mth": "month",
             "yr": "year", "/52": "week"}

_PAIN_CUE = re.compile(
    r"\b(pain\w*|hurt\w*|ache|aches|aching|achy|sore|swell\w*|swollen|symptoms?|start\w*|"
    r"began|begun|came on|come on|it|this|limp\w*|stiff\w*|problem|issue|niggl\w*|bother\w*)\b",
    re.I)
#: Stricter cue for "years ago": "I had a DVT 5 years ago" is history, not this pain's onset.
_ONSET_CUE = re.compile(r"\b(start\w*|began|begun|came on|come on|pain\w*|hurt\w*|ache|"
                        r"aches|aching|achy|sore|niggl\w*|bother\w*|on and off|since)\b", re.I)
_ACTIVITY_BEFORE_FOR = re.compile(
    r"\b(play\w*|run|running|ran|jog\w*|train\w*|work\w*|smok\w*|tak\w*|doing|done|did|"
    r"cycl\w*|swim\w*|married|lived|living|teach\w*|driv\w*|on the pill|been on|sat|sitting|"
    r"standing|walk\w*|hik\w*|danc\w*|lift\w*|club|team|league|career)\b[^.!?\n]{0,20}$",
    re.I)
_NOT_ONSET_AFTER = re.compile(
    r"^\s*(old|of age|a week|per week|a day|per day|a month|per month|each|every|a year|"
    r"flight|flights|drive|journey|trip|plane|bus|train|car|ride|shift|shifts|in the car|"
    r"on the plane|on a plane|later|from now|before the)\b", re.I)
_NOT_ONSET_BEFORE = re.compile(
    r"\b(every|in|within|aged?|about to|next|times|once|twice|per|nights|days|mornings|"
    r"evenings|sessions|shifts|hours|games|matches|classes)\s*$", re.I)
#: A journey said just before the time: "a 10-hour flight 3 days ago" dates the journey.
_TRAVEL_BEFORE = re.compile(
    r"\b(flew|flight|flights|flying|drove|driving|drive|bus|coach|train|plane|car|travel\w*|"
    r"journey|trip)\b[^.!?\n]{0,20}$", re.I)
#: A birth said just before the time dates the birth: "I gave birth 6 weeks ago and my calf
#: hurts" says nothing of when the calf began (dated by the birth, a clot's risk window read
#: as six weeks of symptoms, which count against a clot).
_BIRTH_BEFORE = re.compile(
    r"\b(gave birth|given birth|giving birth|delivered (?:my|the|a|our)|had (?:my|the|a|our) "
    r"(?:baby|son|daughter|twins|child)|c-? ?section|caesarean|cesarean|miscarr\w*)\b"
    r"[^.!?\n]{0,20}$", re.I)
#: ... unless the vehicle crashed: "a car accident 2 weeks ago", "hit by a bus 3 days ago"
#: date the injury, which is the onset.
_CRASH = re.compile(r"\b(accident|crash\w*|collision|collided|hit by|knocked (?:down|over) by|"
                    r"run over|ran over|fell off|came off)\b", re.I)


@dataclass(frozen=True)
class NumberMention:
    """A number finding read from the text: its value and the characters that showed it."""

    finding_id: str
    value: float | str
    start: int
    end: int


def parse_number(word: str) -> float | None:
    """``"3"`` -> 3.0, ``"two"`` -> 2.0, ``"a couple of"`` -> 2.0; None if not a number."""
    word = word.lower().strip()
    try:
        return float(word)
    except ValueError:
        found = _WORD_NUMBERS.get(re.sub(r"\s+", " ", word))
        return None if found is None else float(found)


def _value(match: re.Match[str]) -> float | None:
    first = parse_number(match.group("num"))
    second = match.groupdict().get("num2")
    if first is None:
        return None
    if second:
        return (first + float(second)) / 2
    return first


def _unit_days(unit: str) -> float:
    key = unit.lower().rstrip("s") or unit.lower()
    return _DAYS_PER_UNIT[_UNIT_KEY.get(key, key)]


# ------------------------------------------------------------------------ onset

_AGO = re.compile(rf"\b{_NUM_RANGE}{SEP}{_UNIT}\s+(?:ago|back|before)\b", re.I)
_FOR = re.compile(
    rf"\b(?:for|since|past|last|over|about|around|almost|nearly|x)\s+(?:(?:the|a|about|around|"
    rf"almost|nearly|over|past|last|like)\s+){{0,3}}{_NUM_RANGE}{SEP}{_UNIT}\b", re.I)
_BARE = re.compile(rf"\b{_NUM_RANGE}{SEP}{_UNIT}\b(?!\s+(?:ago|back|before|old)\b)"
                   r"(?:\s+(?:now|already|liao|le))?", re.I)
_KEYWORDS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"\bday before yesterday\b", re.I), 2),
    (re.compile(r"\b(?:since\s+|from\s+)?yesterday\b", re.I), 1),
    (re.compile(r"\b(?:since\s+)?(?:this|today)\s+(?:morning|afternoon|evening)\b|"
                r"\bearlier today\b|\btoday\b|\btonight\b", re.I), 0),
    (re.compile(r"\b(?:since\s+)?last night\b|\bovernight\b", re.I), 1),
    (re.compile(r"\b(?:last|over the|on the|this past|since the|since last)\s+weekend\b",
                re.I), 3),
    (re.compile(r"\b(?:since\s+)?(?:last|on|this past)\s+(?:monday|tuesday|wednesday|"
                r"thursday|friday|saturday|sunday)\b", re.I), 4),
    (re.compile(r"\bsince\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b", re.I), 3),
    (re.compile(r"\b(?:just\s+now|a\s+moment\s+ago|minutes\s+ago)\b", re.I), 0),
    (re.compile(r"\b(?:for|since|over)\s+(?:the\s+)?(?:past|last)\s+(?:few|couple of|"
                r"several)\s+days\b", re.I), 3),
    (re.compile(r"\b(?:for|over)\s+(?:the\s+)?(?:past|last)\s+(?:few|couple of|several)\s+"
                r"weeks\b", re.I), 21),
    (re.compile(r"\b(?:for|over)\s+(?:the\s+)?(?:past|last)\s+(?:few|couple of|several)\s+"
                r"months\b", re.I), 90),
    (re.compile(r"\b(?:since\s+)?last week\b|\ba week ago\b", re.I), 7),
    (re.compile(r"\b(?:since\s+)?last month\b", re.I), 30),
    (re.compile(r"\bfor (?:a few |some |many |several )?weeks\b", re.I), 21),
    (re.compile(r"\bfor (?:a few |some |many |several )?months\b|\bfor (?:a long time|"
                r"ages)\b", re.I), 90),
    (re.compile(r"\bfor (?:a few |some |many |several )?years\b", re.I), 730),
]


def days_since_onset(text: str, skip: tuple[tuple[int, int], ...] = ()
                     ) -> NumberMention | None:
    """How long ago it started, in days: the best-supported mention, earliest on ties.

    Durations of activities ("played football for 10 years"), ages ("17 years old"),
    frequencies ("3 days a week"), the future ("in 2 weeks") and times said of something
    else ("started a new job 6 months ago", see :mod:`.clauses`) are skipped, and so are
    mentions overlapping a ``skip`` character range (times that say when something else
    happened: "knee surgery six weeks ago").
    """
    found: list[tuple[int, int, int, float]] = []  # (-strength, start, end, days)
    # every time said, once: the onset candidates below, and the others each is judged with
    matches = {p: list(p.finditer(text))
               for p in (_AGO, _FOR, _BARE, *(k for k, _ in _KEYWORDS))}
    times = [(m.start(), m.end()) for ms in matches.values() for m in ms]
    for strength, pattern in ((3, _AGO), (2, _FOR), (1, _BARE)):
        for m in matches[pattern]:
            if _overlaps(m.start(), m.end(), skip):
                continue
            value = _value(m)
            if value is None or not _onset_context(text, m, pattern is _AGO) \
                    or not about_symptoms(text, m.start(), m.end(), times):
                continue
            days = value * _unit_days(m.group("unit"))
            if days >= 365 and not _ONSET_CUE.search(text[slice(*sentence_bounds(
                    text, m.start(), m.end()))]):
                continue
            found.append((-strength, m.start(), m.end(), days))
    for pattern, days in _KEYWORDS:
        for m in matches[pattern]:
            if not _overlaps(m.start(), m.end(), skip) \
                    and about_symptoms(text, m.start(), m.end(), times):
                found.append((-2, m.start(), m.end(), float(days)))
    if not found:
        return None
    _, start, end, days = min(found)
    return NumberMention("days_since_onset", round(days, 2), start, end)


#: A time that says how far along something else is: "12 weeks pregnant", "6 weeks
#: postpartum", "a 3 months old baby".
_ALONG = re.compile(rf"\b{_NUM_RANGE}{SEP}{_UNIT}\s+(?:pregnant|postpartum|post partum|"
                    r"gestation|along|old)\b", re.I)


def not_onset_times(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of times that say how far along a pregnancy (or how old someone) is.

    Why: "I'm 12 weeks pregnant and my calf is sore" read "12 weeks" as the calf's time,
    and symptoms of over six weeks count against a clot, the very thing pregnancy risks.
    """
    return tuple((m.start(), m.end()) for m in _ALONG.finditer(text))


def _overlaps(start: int, end: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(start < b and a < end for a, b in ranges)


# ------------------------------------------------------------------------ when

#: Days a "recently" stands for: within any "recent" window a finding has.
RECENTLY_DAYS = 14.0
_SINCE = re.compile(rf"\b{_NUM_RANGE}{SEP}{_UNIT}\s+(?:since|after|post)\b", re.I)
_WHEN_WORDS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"\b(?:yesterday|today|this morning|last night|the other day)\b", re.I), 1),
    (re.compile(r"\b(?:just had|recently|lately|not long ago|a little while ago|"
                r"the other week|earlier this (?:week|month))\b", re.I), RECENTLY_DAYS),
    (re.compile(r"\brecent\b", re.I), RECENTLY_DAYS),
    (re.compile(r"\blast (?:week|weekend)\b|\bthis (?:week|past week)\b", re.I), 7),
    (re.compile(r"\blast month\b|\bthis month\b", re.I), 30),
    (re.compile(r"\b(?:some|several|a few|few|couple of) weeks (?:ago|back)\b|"
                r"\bweeks (?:ago|back)\b", re.I), 21),
    (re.compile(r"\b(?:some|several|a few|few|couple of|many) months (?:ago|back)\b|"
                r"\bmonths (?:ago|back)\b", re.I), 120),
    (re.compile(r"\blast year\b|\b(?:some|several|a few|few|couple of|many) years "
                r"(?:ago|back)\b|\byears (?:ago|back)\b|\blong (?:time )?ago\b|"
                r"\bages ago\b|\bas a (?:child|kid|teenager)\b", re.I), 730),
]


def times_ago(text: str) -> list[NumberMention]:
    """Every stated time something happened, in days before now ("six weeks ago", "last
    month", "recently", "3 weeks since"), the longest wording where two overlap.

    Unlike :func:`days_since_onset` these say when *anything* happened; what happened is
    the caller's to decide (see ``extract._timed``). A year ("in 2015") is left to ConText,
    which reads it as history: without today's date it says nothing about weeks.
    """
    found: list[NumberMention] = []
    for pattern in (_AGO, _SINCE):
        for m in pattern.finditer(text):
            value = _value(m)
            if value is not None:
                found.append(NumberMention("time_ago", round(value * _unit_days(
                    m.group("unit")), 2), m.start(), m.end()))
    for pattern, days in _WHEN_WORDS:
        for m in pattern.finditer(text):
            found.append(NumberMention("time_ago", float(days), m.start(), m.end()))
    out: list[NumberMention] = []
    for mention in sorted(found, key=lambda x: (x.start - x.end, x.start)):
        if not _overlaps(mention.start, mention.end, tuple((o.start, o.end) for o in out)):
            out.append(mention)
    return sorted(out, key=lambda x: x.start)


def _onset_context(text: str, m: re.Match[str], is_ago: bool) -> bool:
    before, after = text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 25]
    journey = _TRAVEL_BEFORE.search(before)
    if _NOT_ONSET_AFTER.search(after) or _NOT_ONSET_BEFORE.search(before) or (
            journey and not _CRASH.search(before)) or _BIRTH_BEFORE.search(before):
        if not re.search(r"\b(last|past)\s*$", before, re.I):
            return False
    if is_ago:
        return True
    if _ACTIVITY_BEFORE_FOR.search(before):
        return False
    start, end = sentence_bounds(text, m.start(), m.end())
    return bool(_PAIN_CUE.search(text[start:end]))


# ------------------------------------------------------------------------ pain score

_SCORE = [
    re.compile(rf"(?<![\d.])(?P<num>\d{{1,2}}(?:\.\d)?|{_WORDS_RE})\s*(?:/|out of|over)\s*"
               r"(?:10|ten)\b", re.I),
    re.compile(r"\b(?:pain|score|rate[sd]?|rating|level|it'?s|its|about|around)\s+"
               r"(?:(?:is|was|of|at|a|an|as|it|about|around|like|maybe|score|level|"
               r"now|currently|usually)\s+){0,3}(?P<num>\d{1,2})\b(?!\s*(?:%|[:.]\d|"
               r"hours?|hrs?|days?|weeks?|months?|years?|mins?|minutes?|kg|km|am|pm|times|"
               r"steps|metres|meters|m\b))", re.I),
]


def pain_score(text: str) -> NumberMention | None:
    """A 0-10 pain score ("7/10", "pain 8 out of 10", "rate it a 6"): the highest one."""
    best: NumberMention | None = None
    for pattern in _SCORE:
        for m in pattern.finditer(text):
            value = parse_number(m.group("num"))
            if value is None or not 0 <= value <= 10:
                continue
            if best is None or value > float(best.value):
                best = NumberMention("pain_score", value, m.start(), m.end())
        if best is not None:
            return best
    return best


# ------------------------------------------------------------------------ stiffness

_STIFF_SENTENCE = re.compile(r"stiff", re.I)
_MORNING = re.compile(r"\b(morning|mornings|wake|waking|woke|get up|getting up|first thing|"
                      r"out of bed|am)\b", re.I)
_MINUTES = re.compile(
    rf"\b(?:{_NUM_RANGE}{SEP}(?P<unit>minutes?|mins?|min|hours?|hrs?|hr|h)\b|"
    r"(?P<half>half an hour|half hour)|(?P<hour>an hour|one hour|a hour))", re.I)


def morning_stiffness_minutes(text: str) -> NumberMention | None:
    """Minutes of stiffness on waking, only from a sentence about stiffness in the morning."""
    for sent in re.finditer(r"[^.!?\n]+", text):
        chunk = sent.group()
        if not (_STIFF_SENTENCE.search(chunk) and _MORNING.search(chunk)):
            continue
        for m in _MINUTES.finditer(chunk):
            if m.group("half"):
                minutes = 30.0
            elif m.group("hour"):
                minutes = 60.0
            else:
                value = _value(m)
                if value is None:
                    continue
                minutes = value * (60 if m.group("unit").lower().startswith("h") else 1)
            start = sent.start() + m.start()
            return NumberMention("morning_stiffness_minutes", float(minutes), start,
                                 sent.start() + m.end())
    return None


# ------------------------------------------------------------------------ travel

_VEHICLE = (r"(?:flight|flights|flying|fly|drive|driving|car|ride|bus|coach|train|journey|"
            r"trip|plane|road\s*trip|travel\w*|transit|layover)")
_TRAVEL = [
    re.compile(rf"\b{_NUM_RANGE}{SEP}(?P<unit>hours?|hrs?|hr|h)\b(?:\s+\w+){{0,3}}?\s+"
               rf"{_VEHICLE}\b", re.I),
    re.compile(rf"\b(?:flew|flight|flights|flying|drove|driving|drive|travelled|traveled|"
               rf"travelling|traveling|journey|plane|bus|coach|train|car|sat)\b[^.?!\n]{{0,30}}?"
               rf"\b{_NUM_RANGE}{SEP}(?P<unit>hours?|hrs?|hr|h)\b", re.I),
]


def travel_hours(text: str) -> NumberMention | None:
    """Hours of the longest journey mentioned ("12-hour flight", "flew 14 hours")."""
    best: NumberMention | None = None
    for pattern in _TRAVEL:
        for m in pattern.finditer(text):
            value = _value(m)
            if value is None or value <= 0 or value > 72:
                continue
            if best is None or value > float(best.value):
                best = NumberMention("travel_hours", value, m.start(), m.end())
    return best


# ------------------------------------------------------------------------ side

_BODY = (r"(?:knees?|legs?|calf|calves|thighs?|shins?|foot|feet|ankles?|hamstrings?|hips?|"
         r"sides?|one|lower legs?|popliteal|kneecap|patella|buttock)")
_LEFT_RIGHT = re.compile(
    rf"\b(?P<side>left|right|lt|rt)\b(?:\s+(?:back|inner|outer|lower|upper|side|leg|of|"
    rf"my|the))*\s+{_BODY}\b(?!\s+of)", re.I)
_LR_LETTER = re.compile(rf"\b(?P<side>[LR])\s+{_BODY}\b")
_ON_SIDE = re.compile(
    r"\bon (?:the|my) (?P<side>left|right)(?: side| one| leg)?\b(?!\s+(?:side\s+)?of)", re.I)
_BOTH = re.compile(
    rf"\b(?:both|bilateral|two)\s+(?:of\s+(?:my|the)\s+)?(?:knees|legs|calves|sides|thighs|"
    rf"feet|shins|hamstrings)\b|\bbilateral(?:ly)?\b|\bboth\s+(?:left and right|sides?)\b|"
    rf"\b(?:left and right|right and left)\s+{_BODY}", re.I)


def side(text: str) -> NumberMention | None:
    """Which leg: "both" when said so, otherwise the first left/right attached to a leg part."""
    both = _BOTH.search(text)
    if both:
        return NumberMention("side", "both", both.start(), both.end())
    hits = [m for p in (_LEFT_RIGHT, _LR_LETTER, _ON_SIDE) for m in p.finditer(text)]
    if not hits:
        return None
    first = min(hits, key=lambda m: m.start())
    word = first.group("side").lower()
    value = "left" if word in ("left", "lt", "l") else "right"
    return NumberMention("side", value, first.start(), first.end())


# ------------------------------------------------------------------------ age

_AGE = [
    re.compile(r"\b(?P<num>\d{1,3})\s*(?:years?|yrs?|yo|y/o|y\.o\.?)(?:\s+old|\b)(?!\s*ago)",
               re.I),
    re.compile(r"\b(?:i am|i'm|im|aged?|age:?)\s+(?:a\s+)?(?P<num>\d{1,3})\b(?!\s*(?:kg|cm|%|"
               r"days?|weeks?|months?|hours?|minutes?|mins?|times|km|m\b))", re.I),
]


def age(text: str) -> NumberMention | None:
    """The patient's age if they state it ("I'm 54", "54-year-old", "aged 17")."""
    for pattern in _AGE:
        for m in pattern.finditer(text):
            if pattern is _AGE[0] and not re.search(r"old|yo|y/o|y\.o", m.group(), re.I):
                continue
            value = int(m.group("num"))
            if 1 <= value <= 120:
                return NumberMention("age", float(value), m.start(), m.end())
    return None


# ------------------------------------------------------------------------ temperature

#: Celsius limits: at or above FEVER_C a fever; from LOW_GRADE_C up, a low-grade temperature
#: (reported as a fever, marked uncertain: with a hot joint it still matters); below, normal.
FEVER_C = 38.0
LOW_GRADE_C = 37.5
_TEMP_WORD = r"(?:temperature|temp|fever|febrile|thermometer|spiked)"
_DEG = r"(?:\s*(?:°|º|deg(?:rees?)?\.?)\s*|\s*)(?P<unit>c(?:elsius)?|f(?:ahrenheit)?)?\b"
_TEMPERATURE = [
    re.compile(rf"\b{_TEMP_WORD}\b[^.!?\n\d]{{0,25}}?(?P<num>\d{{2,3}}(?:[.,]\d)?){_DEG}",
               re.I),
    re.compile(r"(?<![\d.])(?P<num>\d{2,3}(?:[.,]\d)?)\s*(?:°|º|deg(?:rees?)?\.?)\s*"
               r"(?P<unit>c(?:elsius)?|f(?:ahrenheit)?)?\b", re.I),
    re.compile(r"(?<![\d.])(?P<num>(?:3[4-9]|4[0-2])[.,]\d)\s*(?P<unit>c)\b", re.I),
]


def temperature(text: str) -> NumberMention | None:
    """A body temperature in Celsius ("temp 38.5", "37.8 C", "101 F", "fever of 102").

    The highest reading wins (safety first). Readings outside 34-43 C are not temperatures.
    """
    best: NumberMention | None = None
    for pattern in _TEMPERATURE:
        for m in pattern.finditer(text):
            value = float(m.group("num").replace(",", "."))
            unit = (m.group("unit") or "").lower()[:1]
            if unit == "f" or (not unit and 93 <= value <= 110):
                value = round((value - 32) * 5 / 9, 1)
            if not 34 <= value <= 43:
                continue
            if best is None or value > float(best.value):
                end = m.start() + len(m.group().rstrip())
                best = NumberMention("temperature", value, m.start(), end)
    return best


def extract_numbers(text: str, skip_times: tuple[tuple[int, int], ...] = ()
                    ) -> list[NumberMention]:
    """Every number finding the text states (at most one per finding id).

    ``temperature`` is not a catalogue finding: extraction turns it into ``fever``.
    ``skip_times`` are character ranges of times that are not the onset (see
    :func:`days_since_onset`).
    """
    out = [days_since_onset(text, skip_times), pain_score(text), morning_stiffness_minutes(text),
           travel_hours(text), side(text), temperature(text)]
    return [m for m in out if m is not None]
