"""The adaptive interview: the next best question until confident and safe.

Public surface: :class:`Interview`, :class:`InterviewState`, :class:`InterviewConfig`,
:class:`Question`, :func:`run_jsonl` (the line protocol), :class:`ProtocolError`,
:func:`run_terminal` (the terminal interview).
"""

from popliteal.interview.protocol import ProtocolError, run_jsonl
from popliteal.interview.session import Interview, InterviewConfig, InterviewState, Question
from popliteal.interview.terminal import BACK, run_terminal

__all__ = ["BACK", "Interview", "InterviewConfig", "InterviewState", "ProtocolError", "Question",
           "run_jsonl", "run_terminal"]
