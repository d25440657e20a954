"""An interview as a plain value: start, next question, answer, ..., result.

Why a value: the web app stores it between requests and another server process may continue
it, so the state is only what cannot be recomputed (age, sex, the text, the answers in the
order given, the settings) and it serialises to JSON. Everything else (findings from the
text, posteriors, the next question) is derived, so the same answers always give the same
questions and the same result.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from popliteal.assessment import check_patient, read_text, text_answer
from popliteal.engine import (
    UNKNOWN,
    Evidence,
    build_evidence,
    compile_model,
    parse_answer,
    posterior,
)
from popliteal.interview.policy import (
    Candidate,
    CandidateRanking,
    rank_candidates,
    required_questions,
)
from popliteal.knowledge import FindingKind, KnowledgeBase, get_knowledge_base
from popliteal.results import AssessmentResult
from popliteal.triage import triage


class InterviewConfig(BaseModel):
    """Stop rule thresholds (configuration, not code)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_questions: int = Field(default=20, ge=1, le=120)
    stop_probability: float = Field(default=0.6, gt=0.0, le=1.0)
    min_gain: float = Field(default=0.02, ge=0.0, description="bits; below this, stop asking")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    answer: Any


class Question(BaseModel):
    """A question as the line protocol and the pages show it."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["question"] = "question"
    id: str
    text: str
    kind: Literal["yes_no", "choice", "multi", "number"]
    options: list[str]
    option_labels: list[str] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    help: str | None = None
    group: str
    red_flag: bool = False
    required: bool = False
    asked: int = Field(description="questions answered so far")
    max_questions: int


class InterviewState(BaseModel):
    """Everything needed to resume an interview, and nothing that can be derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    age: int
    sex: Literal["female", "male"]
    text: str | None = None
    answers: tuple[Answer, ...] = ()
    config: InterviewConfig = InterviewConfig()


class Interview:
    """An interview in progress. Methods that change it return a new Interview."""

    def __init__(self, state: InterviewState, kb: KnowledgeBase | None = None, *,
                 _text: dict[str, Any] | None = None):
        """``_text``: the findings of ``state.text``, passed on by :meth:`answer` and
        :meth:`back` (the text does not change between answers, so it is not read again)."""
        self.state = state
        self.kb = kb or get_knowledge_base()
        self.model = compile_model(self.kb)
        self._text_answers = _text_answers(self.kb, state.text) if _text is None else _text
        self._evidence = build_evidence(self.kb, self.merged_answers())
        self._posterior = posterior(self.model, state.age, state.sex, self._evidence)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def start(cls, age: Any, sex: Any, text: str | None = None,
              config: InterviewConfig | None = None,
              kb: KnowledgeBase | None = None) -> Interview:
        """Begin an interview; bad age, sex or text raise ``AssessmentInputError``."""
        age, sex = check_patient(age, sex)
        state = InterviewState(age=age, sex=sex, text=text,
                               config=config or InterviewConfig())
        return cls(state, kb)

    def answer(self, finding_id: str, value: Any) -> Interview:
        """Record (or change) an answer; raises UnknownFindingError / AnswerError."""
        canonical = parse_answer(self.kb, finding_id, value)
        kept = tuple(a for a in self.state.answers if a.id != finding_id)
        state = self.state.model_copy(
            update={"answers": (*kept, Answer(id=finding_id, answer=canonical))})
        return Interview(state, self.kb, _text=self._text_answers)

    def back(self) -> Interview:
        """Undo the last answer."""
        return Interview(self.state.model_copy(update={"answers": self.state.answers[:-1]}),
                         self.kb, _text=self._text_answers)

    def to_json(self) -> str:
        return self.state.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes, kb: KnowledgeBase | None = None) -> Interview:
        return cls(InterviewState.model_validate_json(data), kb)

    # ------------------------------------------------------------------ derived views

    @property
    def evidence(self) -> Evidence:
        return self._evidence

    @property
    def questions_asked(self) -> int:
        return len(self.state.answers)

    def merged_answers(self) -> dict[str, Any]:
        merged = dict(self._text_answers)
        merged.update({a.id: a.answer for a in self.state.answers})
        return merged

    def candidates(self) -> list[Candidate]:
        return self._ranking().candidates()

    def _ranking(self) -> CandidateRanking:
        """``score_candidates`` for this interview, as arrays (no Candidate per question)."""
        last = self.state.answers[-1].id if self.state.answers else None
        last_group = self.kb.findings[last].group if last else None
        answered = {a.id for a in self.state.answers} | set(self._text_answers)
        return rank_candidates(self.model, self.state.age, self._posterior, self._evidence,
                               answered, last_group)

    def unasked_required(self) -> list[str]:
        return self._unasked(required_questions(self.kb, self.model, self._posterior,
                                                self._evidence))

    def _unasked(self, required: list[str]) -> list[str]:
        answered = {a.id for a in self.state.answers}
        known = self._evidence.present | self._evidence.absent | answered
        return [f for f in required if f not in known]

    def next_question(self) -> Question | None:
        """The next question, or None when the interview should end.

        Ends when the leading cause is probable enough, every relevant red-flag screen is
        asked and no question could still change the triage level; or at the question limit.
        (Reads the ranking as arrays: building every candidate just to look at two of them
        was a fifth of the time of a POST /answers.)
        """
        cfg = self.state.config
        if self.questions_asked >= cfg.max_questions:
            return None
        ranking = self._ranking()
        if not len(ranking):
            return None
        required = set(self._unasked(ranking.required))
        screens = ranking.in_order(required)
        remaining = cfg.max_questions - self.questions_asked
        best = ranking.best()
        if screens and (remaining <= len(screens) or self._confident(best)):
            return self._question(screens[0], required=True)
        if self._confident(best):
            return None
        return self._question(best.finding, best.finding in required)

    def _confident(self, best: Candidate) -> bool:
        cfg = self.state.config
        settled = best.triage_gain <= 0.0
        probable = float(self._posterior.max()) >= cfg.stop_probability
        return settled and (probable or best.info_gain < cfg.min_gain)

    def _question(self, finding_id: str, required: bool) -> Question:
        f = self.kb.findings[finding_id]
        if f.kind is FindingKind.yes_no:
            options, labels = ["yes", "no", UNKNOWN], ["Yes", "No", "Don't know"]
        elif f.kind is FindingKind.number:
            options, labels = [UNKNOWN], ["Don't know"]
        else:
            options = [o.value for o in f.options] + [UNKNOWN]
            labels = [o.label for o in f.options] + ["Don't know"]
        return Question(id=f.id, text=f.question, kind=f.kind.value, options=options,
                        option_labels=labels, min=f.min, max=f.max, unit=f.unit, help=f.help,
                        group=f.group, red_flag=f.red_flag, required=required,
                        asked=self.questions_asked, max_questions=self.state.config.max_questions)

    def result(self) -> AssessmentResult:
        """The assessment from the text and every answer so far (answers override text)."""
        from popliteal.assessment import assess

        answers = {a.id: a.answer for a in self.state.answers}
        return assess(self.state.age, self.state.sex, text=self.state.text, answers=answers,
                      kb=self.kb)

    def current_level(self) -> str:
        return triage(self.model, self.state.age, self.state.sex, self._evidence).level.value


def _text_answers(kb: KnowledgeBase, text: str | None) -> dict[str, Any]:
    """Findings from the patient's words, as answers (cached per text by the language layer).

    Unreadable text (empty, too long) raises ``AssessmentInputError`` here, at the start of
    the interview, as ``assess`` does, rather than when the result is asked for.
    """
    if text is None:
        return {}
    out: dict[str, Any] = {}
    for tf in read_text(kb, text).findings:
        value = text_answer(kb, tf)
        if value is not None:
            out[tf.id] = value
    return out
