"""Survey models, one module per stage (STYLE.md 19): questionnaires (F4), rounds and plans (S1-S4),
the sample and its forms (S5-S8), answers (S7, S10), after the survey (S15-S19)."""

from .answers import Answer, Response, SecondEntry, UnreturnedCheck
from .followup import OpenLetter, OpenLetterPromise, ReturnVisit
from .questionnaires import Question, QuestionKind, Questionnaire, SurveySettings
from .rounds import Channel, Collection, RoundState, SampleUnit, SurveyRound

__all__ = [
    "Answer",
    "Channel",
    "Collection",
    "OpenLetter",
    "OpenLetterPromise",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Response",
    "ReturnVisit",
    "RoundState",
    "SampleUnit",
    "SecondEntry",
    "SurveyRound",
    "SurveySettings",
    "UnreturnedCheck",
]
