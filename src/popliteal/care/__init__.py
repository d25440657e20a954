"""Care plans: what to do now, what to avoid, when to get help, pain relief behind a safety
screen, what treatment may follow, and a home exercise programme.

Public surface: :func:`build_care_plan`, :func:`render_plan_text`, the plan types, and the
care data loader (:func:`load_care_guide`, :func:`check_against`, :class:`CareDataError`).
"""

from __future__ import annotations

from popliteal.care.builder import build_care_plan
from popliteal.care.context import stage_for
from popliteal.care.guide import CareDataError, check_against, get_care_guide, load_care_guide
from popliteal.care.plan import (
    CarePlan,
    ExerciseProgramme,
    HelpStep,
    NsaidScreen,
    PainRelief,
    ProgrammeExercise,
    ProgrammeWeek,
    Treatment,
)
from popliteal.care.render import render_plan_text
from popliteal.care.schema import CareGuide

__all__ = [
    "CareDataError",
    "CareGuide",
    "CarePlan",
    "ExerciseProgramme",
    "HelpStep",
    "NsaidScreen",
    "PainRelief",
    "ProgrammeExercise",
    "ProgrammeWeek",
    "Treatment",
    "build_care_plan",
    "check_against",
    "get_care_guide",
    "load_care_guide",
    "render_plan_text",
    "stage_for",
]
