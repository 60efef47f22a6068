"""The kunddialog report: Antal and the four means per förvaltning, category or performer.

Only completed surveys (all four scores) count. Every department (or category, or
performer) in the register is listed, also those without answers, so a board sees who
did not answer. Means are rounded half up to two decimals; the Totalt row is the mean
over all answers, not a mean of means.

Seen by a desk agent (``viewer``), the report covers only the answers about tickets that
agent may see under the desk's access rule (``servicedesk.desk``): the tickets of their
queues (every queue when they have none), tickets without a service and tickets assigned
to them; admins see all. Figures, comments and ticket numbers are all computed from those
answers only. Without a viewer (the command line, run by an operator) nothing is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicedesk.desk import _visible_clause as visible_tickets
from servicedesk.models import Agent, AgentRole, Department, Feedback, Service, Ticket

__all__ = [
    "GROUP_LABELS",
    "MEASURES",
    "Comment",
    "FeedbackReport",
    "Group",
    "Means",
    "Period",
    "ReportRow",
    "build_report",
    "scope_of",
]

Group = Literal["forvaltning", "category", "performer"]
GROUP_LABELS: dict[str, str] = {
    "forvaltning": "Förvaltning",
    "category": "Tjänstekategori",
    "performer": "Utförare",
}
#: The report's columns after Antal: (attribute of Means, Swedish heading), board order.
MEASURES: tuple[tuple[str, str], ...] = (
    ("overall", "Samlad bedömning"),
    ("communication", "Återkoppling"),
    ("expectation", "Motsvarad förväntan"),
    ("treatment", "Bemötande"),
)
UNKNOWN_KEY = ""
_UNKNOWN_NAMES = {
    "forvaltning": "Okänd förvaltning",
    "category": "Utan tjänst",
    "performer": "Okänd utförare",
}
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    """Dates from ``start`` to ``end``, both included, in the desk's local time."""

    start: date
    end: date

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Return the period as a half-open UTC interval."""
        low = datetime.combine(self.start, time(0, 0), tzinfo=zone)
        high = datetime.combine(self.end + timedelta(days=1), time(0, 0), tzinfo=zone)
        return low.astimezone(UTC), high.astimezone(UTC)


@dataclass(frozen=True)
class Means:
    """Antal and the mean of each question (None without answers)."""

    count: int
    overall: Decimal | None
    communication: Decimal | None
    expectation: Decimal | None
    treatment: Decimal | None

    @classmethod
    def of(cls, answers: list[_Answer]) -> Means:
        """Average ``answers``, rounding half up to two decimals."""

        def mean(values: Iterable[int]) -> Decimal | None:
            found = list(values)
            if not found:
                return None
            return (Decimal(sum(found)) / Decimal(len(found))).quantize(_CENT, ROUND_HALF_UP)

        return cls(
            count=len(answers),
            overall=mean(a.overall for a in answers),
            communication=mean(a.communication for a in answers),
            expectation=mean(a.expectation for a in answers),
            treatment=mean(a.treatment for a in answers),
        )


@dataclass(frozen=True)
class ReportRow:
    """One group's figures in the period and, when compared, in the previous period."""

    key: str
    name: str
    current: Means
    previous: Means | None


@dataclass(frozen=True)
class Comment:
    """A free-text comment of the period with its ticket."""

    ticket_number: str
    group_name: str
    answered_at: datetime
    overall: int
    text: str


@dataclass(frozen=True)
class FeedbackReport:
    """The whole report: rows, Totalt, comments.

    ``queues`` is the scope: the service categories the report is limited to (besides
    tickets without a service and those assigned to the agent), or None for every ticket.
    """

    group: Group
    period: Period
    compare: Period | None
    rows: list[ReportRow]
    total: ReportRow
    comments: list[Comment]
    queues: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Answer:
    key: str
    ticket_number: str
    answered_at: datetime
    overall: int
    communication: int
    expectation: int
    treatment: int
    comment: str | None


def _key_column(group: Group):  # type: ignore[no-untyped-def]
    return {
        "forvaltning": Feedback.department_code,
        "category": Service.category,
        "performer": Service.performer,
    }[group]


def scope_of(viewer: Agent | None) -> tuple[str, ...] | None:
    """Return the queues a report for ``viewer`` is limited to, or None for every ticket."""
    if viewer is None or viewer.role == AgentRole.ADMIN or not viewer.queues:
        return None
    return tuple(sorted(viewer.queues))


def _answers(
    session: Session, group: Group, period: Period, zone: ZoneInfo, viewer: Agent | None
) -> list[_Answer]:
    low, high = period.bounds(zone)
    stmt = (
        select(Feedback, Ticket.number, _key_column(group))
        .join(Ticket, Ticket.id == Feedback.ticket_id)
        .outerjoin(Service, Service.code == Ticket.service_code)
        .where(
            Feedback.status == "answered",
            Feedback.answered_at >= low,
            Feedback.answered_at < high,
        )
        .order_by(Feedback.answered_at, Feedback.id)
    )
    if viewer is not None:
        # The very condition the ticket queue and detail use: no other rule to drift.
        stmt = stmt.where(visible_tickets(viewer))
    found = []
    for feedback, number, key in session.execute(stmt).all():
        scores = (
            feedback.overall_score,
            feedback.feedback_score,
            feedback.expectation_score,
            feedback.treatment_score,
        )
        if feedback.answered_at is None or any(s is None for s in scores):
            continue
        overall, communication, expectation, treatment = (int(s or 0) for s in scores)
        answered = feedback.answered_at
        found.append(
            _Answer(
                key=str(key or UNKNOWN_KEY),
                ticket_number=number,
                answered_at=answered.replace(tzinfo=UTC) if answered.tzinfo is None else answered,
                overall=overall,
                communication=communication,
                expectation=expectation,
                treatment=treatment,
                comment=feedback.comment,
            )
        )
    return found


def _register(session: Session, group: Group) -> dict[str, str]:
    """Return every group in the register (key -> name), also those without answers."""
    if group == "forvaltning":
        rows = session.execute(select(Department.code, Department.name)).all()
        return {code: name for code, name in rows}
    column = Service.category if group == "category" else Service.performer
    values = session.scalars(select(column).where(Service.active.is_(True)).distinct()).all()
    return {v: v for v in values if v}


def _names(session: Session, group: Group, keys: set[str]) -> dict[str, str]:
    names = _register(session, group)
    for key in keys - set(names):
        names[key] = _UNKNOWN_NAMES[group] if key == UNKNOWN_KEY else key
    return names


def build_report(
    *,
    session: Session,
    period: Period,
    group: Group = "forvaltning",
    compare: Period | None = None,
    timezone: str = "Europe/Stockholm",
    viewer: Agent | None = None,
) -> FeedbackReport:
    """Compute the report for ``period`` (and ``compare`` side by side), grouped by ``group``.

    With ``viewer`` (the desk agent asking), only answers about tickets that agent may see
    count, in the figures as in the comments; without, every answer counts.
    """
    zone = ZoneInfo(timezone)
    current = _answers(session, group, period, zone, viewer)
    previous = _answers(session, group, compare, zone, viewer) if compare else []
    names = _names(session, group, {a.key for a in current} | {a.key for a in previous})
    rows = [
        ReportRow(
            key=key,
            name=name,
            current=Means.of([a for a in current if a.key == key]),
            previous=Means.of([a for a in previous if a.key == key]) if compare else None,
        )
        for key, name in sorted(names.items(), key=lambda kv: (kv[0] == UNKNOWN_KEY, kv[1]))
    ]
    total = ReportRow("", "Totalt", Means.of(current), Means.of(previous) if compare else None)
    comments = [
        Comment(a.ticket_number, names[a.key], a.answered_at, a.overall, a.comment)
        for a in current
        if a.comment
    ]
    return FeedbackReport(group, period, compare, rows, total, comments, scope_of(viewer))
