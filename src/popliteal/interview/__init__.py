"""The adaptive interview: the next best question until confident and safe.

Public surface: :class:`Interview`, :class:`InterviewState`, :class:`InterviewConfig`,
:class:`Question`.
"""

from popliteal.interview.session import Interview, InterviewConfig, InterviewState, Question

__all__ = ["Interview", "InterviewConfig", "InterviewState", "Question"]
