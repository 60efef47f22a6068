"""Storage of the kunddialog: invitations opened on delivery, answers kept once, outcomes.

Every function takes the caller's session and flushes; the caller commits. Answers are
idempotent per ticket and question: the first answer stays, a retried call changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicedesk import tickets
from servicedesk.feedback.rules import CAP_WINDOW, InvitationPolicy
from servicedesk.links import person_requester_ids
from servicedesk.models import (
    Feedback,
    FeedbackAnswer,
    Requester,
    Service,
    Ticket,
    TicketEvent,
    TicketState,
    as_utc,
    utcnow,
)
from servicedesk.privacy import mask_personnummer
from servicedesk.requesters import _begin_sqlite_transaction

__all__ = [
    "LOW_SCORE",
    "OPEN_STATUSES",
    "QUESTIONS",
    "Question",
    "complete",
    "decline",
    "feedback_for_ticket",
    "has_low_score",
    "invitations_sent_since",
    "open_invitations",
    "pause",
    "postpone",
    "record_answer",
    "scores_of",
]

#: A score at or below this asks what went wrong and escalates the ticket.
LOW_SCORE = 4
#: Statuses in which the survey can still be answered.
OPEN_STATUSES = frozenset({"pending", "invited", "postponed", "paused"})


@dataclass(frozen=True)
class Question:
    """One kunddialog question: its key, the column holding its score and its label."""

    key: str
    column: str
    label: str


#: The four questions, in the order they are asked.
QUESTIONS: tuple[Question, ...] = (
    Question("communication", "feedback_score", "Återkoppling"),
    Question("expectation", "expectation_score", "Motsvarad förväntan"),
    Question("treatment", "treatment_score", "Bemötande"),
    Question("overall", "overall_score", "Samlad bedömning"),
)
_BY_KEY = {q.key: q for q in QUESTIONS}


def _delivered_moment(ticket: Ticket) -> datetime | None:
    if ticket.delivered_at is not None:
        return as_utc(ticket.delivered_at)
    moments = [e.at for e in ticket.events if e.to_state == TicketState.DELIVERED.value]
    return as_utc(moments[-1]) if moments else None


def open_invitations(*, session: Session, policy: InvitationPolicy, now: datetime) -> int:
    """Open a feedback row for each delivered ticket that has none; return how many.

    Tickets delivered longer ago than the expiry time are left alone (so switching the
    feature on does not survey last year's tickets). Tickets outside their category's
    sample get a ``skipped`` row, so the decision is made once and recorded.
    """
    stmt = (
        select(Ticket, Service.category)
        .outerjoin(Service, Service.code == Ticket.service_code)
        .outerjoin(Feedback, Feedback.ticket_id == Ticket.id)
        .where(
            Feedback.id.is_(None),
            Ticket.state.in_([TicketState.DELIVERED, TicketState.CLOSED]),
            Ticket.updated_at >= as_utc(now) - policy.expires_after,
        )
        .order_by(Ticket.id)
    )
    opened = 0
    for ticket, category in session.execute(stmt).all():
        delivered = _delivered_moment(ticket)
        if delivered is None or policy.expired(delivered, now):
            continue
        row = Feedback(
            ticket_id=ticket.id,
            requester_id=ticket.requester_id,
            department_code=ticket.requester.department_code,
            delivered_at=delivered,
            status="pending",
            resume_count=0,
        )
        if policy.wants(ticket.number, category):
            row.due_at = policy.due_at(delivered)
        else:
            row.status, row.skip_reason = "skipped", "sampling"
        session.add(row)
        opened += 1
    session.flush()
    return opened


def invitations_sent_since(*, session: Session, requester_id: int, since: datetime) -> int:
    """Count the invitations sent to a person since ``since`` (for the per-person cap).

    A person linked on several channels has one cap (see :mod:`servicedesk.links`).
    """
    requester = session.get(Requester, requester_id)
    ids = [requester_id]
    if requester is not None:
        ids = person_requester_ids(session=session, requester=requester)
    stmt = select(func.count(Feedback.id)).where(
        Feedback.requester_id.in_(ids), Feedback.invited_at >= since
    )
    return int(session.scalar(stmt) or 0)


def cap_window_start(now: datetime) -> datetime:
    """Return the start of the cap window ending at ``now``."""
    return as_utc(now) - CAP_WINDOW


def feedback_for_ticket(*, session: Session, number: str) -> Feedback | None:
    """Return the feedback row of the ticket numbered ``number``, if it has one."""
    stmt = select(Feedback).join(Ticket, Ticket.id == Feedback.ticket_id)
    return session.scalars(stmt.where(Ticket.number == number)).one_or_none()


def scores_of(feedback: Feedback) -> dict[str, int]:
    """Return the scores given so far, by question key."""
    found = {q.key: getattr(feedback, q.column) for q in QUESTIONS}
    return {k: int(v) for k, v in found.items() if v is not None}


def has_low_score(feedback: Feedback) -> bool:
    """Tell whether any score given is at or below :data:`LOW_SCORE`."""
    return any(v <= LOW_SCORE for v in scores_of(feedback).values())


def record_answer(
    *,
    session: Session,
    feedback: Feedback,
    question: str,
    text: str,
    score: int | None = None,
    now: datetime | None = None,
) -> FeedbackAnswer:
    """Store one answer as the person gave it, once; return the answer that is kept.

    Args:
        question: A key of :data:`QUESTIONS`, or ``"comment"``.
        text: The person's words; for ``comment`` the comment itself (may be empty).
        score: The score read from ``text`` (questions only).
    """
    if question != "comment" and (question not in _BY_KEY or score is None):
        raise ValueError(f"Question {question!r} needs a score")
    text = mask_personnummer(text).text  # the channels mask too; a comment must never keep one
    stmt = select(FeedbackAnswer).where(
        FeedbackAnswer.feedback_id == feedback.id, FeedbackAnswer.question == question
    )
    existing = session.scalars(stmt).one_or_none()
    if existing is not None:
        return existing
    answer = FeedbackAnswer(
        feedback_id=feedback.id,
        question=question,
        score=score,
        text=text[:4000],
        answered_at=as_utc(now or utcnow()),
    )
    _begin_sqlite_transaction(session)
    try:
        with session.begin_nested():
            session.add(answer)
    except IntegrityError:
        kept = session.scalars(stmt).one_or_none()
        if kept is None:  # pragma: no cover - the conflict was not ours
            raise
        return kept
    if question == "comment":
        feedback.comment = text.strip()[:4000] or None
    else:
        setattr(feedback, _BY_KEY[question].column, score)
    session.flush()
    return answer


def _event(feedback: Feedback, kind: str, now: datetime, **data: Any) -> None:
    feedback.ticket.events.append(
        TicketEvent(at=now, actor="system:feedback", kind=kind, data=data)
    )


def postpone(*, session: Session, feedback: Feedback, now: datetime | None = None) -> bool:
    """Record "inte nu": the one reminder will ask again. Return False if already closed."""
    if feedback.status not in OPEN_STATUSES:
        return False
    feedback.status = "postponed"
    feedback.postponed_at = feedback.postponed_at or as_utc(now or utcnow())
    session.flush()
    return True


def decline(*, session: Session, feedback: Feedback, now: datetime | None = None) -> bool:
    """Record "nej tack": no more questions or reminders. Return False if already closed."""
    if feedback.status not in OPEN_STATUSES:
        return False
    moment = as_utc(now or utcnow())
    feedback.status = "declined"
    feedback.declined_at = moment
    _event(feedback, "feedback_declined", moment)
    session.flush()
    return True


def pause(*, session: Session, feedback: Feedback, now: datetime | None = None) -> bool:
    """Record that the person started a new request mid-survey; offered again later."""
    if feedback.status not in OPEN_STATUSES:
        return False
    feedback.status = "paused"
    feedback.paused_at = as_utc(now or utcnow())
    session.flush()
    return True


def complete(*, session: Session, feedback: Feedback, now: datetime | None = None) -> bool:
    """Close the survey as answered; escalate the ticket once if any score is low.

    Returns:
        Whether the ticket was escalated for follow-up (now or by an earlier call).
    """
    moment = as_utc(now or utcnow())
    if feedback.status in OPEN_STATUSES and len(scores_of(feedback)) == len(QUESTIONS):
        feedback.status = "answered"
        feedback.answered_at = moment
        if feedback.department_code is None:
            requester = feedback.ticket.requester
            feedback.department_code = requester.department_code if requester else None
        _event(feedback, "feedback_answered", moment, scores=scores_of(feedback))
    if has_low_score(feedback) and feedback.escalated_at is None:
        feedback.escalated_at = moment
        _event(
            feedback, "feedback_low_score", moment,
            scores=scores_of(feedback), comment=feedback.comment,
        )  # fmt: skip
        tickets.escalate(
            session=session,
            ticket=feedback.ticket,
            reason="low_feedback_score",
            actor="system:feedback",
            now=moment,
        )
    session.flush()
    return feedback.escalated_at is not None


def requester_of(feedback: Feedback) -> Requester:
    """Return the person who ordered the ticket (and answers the survey)."""
    return feedback.ticket.requester
