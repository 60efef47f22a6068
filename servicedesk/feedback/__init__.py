"""Kunddialog: the feedback survey after delivery, its invitation rules and its report."""

from servicedesk.feedback.rules import InvitationPolicy, QuietHours, is_sampled
from servicedesk.feedback.scores import ScoreReading, read_score
from servicedesk.feedback.store import LOW_SCORE, QUESTIONS, Question

__all__ = [
    "LOW_SCORE",
    "QUESTIONS",
    "InvitationPolicy",
    "Question",
    "QuietHours",
    "ScoreReading",
    "is_sampled",
    "read_score",
]
