"""The person's own tickets: status, list and cancel."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._conversation import latest_text, person_of
from actions._desk import desk_session
from actions._format import format_datetime
from servicedesk.links import same_person
from servicedesk.models import Requester, Ticket
from servicedesk.requesters import get_or_create_requester
from servicedesk.tickets import (
    REQUESTER_CANCELLABLE,
    NotOwnerError,
    TransitionError,
    cancel_by_requester,
    get_ticket,
    latest_requester_ticket,
    list_requester_tickets,
)

_NUMBER = re.compile(r"\bsd[\s-]?(\d{4})[\s-]?(\d{1,5})\b", re.IGNORECASE)
_BARE = re.compile(r"\b(?:ärende|ärendenummer|nummer|nr)\.?\s*#?(\d{1,5})\b", re.IGNORECASE)


def find_ticket_number(text: str, year: int | None = None) -> str | None:
    """Return the ticket number named in ``text`` in canonical form, e.g. SD-2026-00042."""
    match = _NUMBER.search(text)
    if match:
        return f"SD-{match.group(1)}-{int(match.group(2)):05d}"
    bare = _BARE.search(text)
    if bare:
        return f"SD-{year or datetime.now().year}-{int(bare.group(1)):05d}"
    return None


def _requested_number(tracker: Tracker) -> str | None:
    entity = next(tracker.get_latest_entity_values("ticket_number"), None)
    return find_ticket_number(str(entity)) if entity else find_ticket_number(latest_text(tracker))


def _owned(session: Any, number: str, requester: Requester) -> Ticket | None:
    """The ticket ``number`` if it is the person's (on any of their linked channels)."""
    ticket = get_ticket(session=session, number=number)
    if ticket is None or not same_person(
        session=session, requester=requester, requester_id=ticket.requester_id
    ):
        return None
    return ticket


def _describe(ticket: Ticket) -> dict[str, str]:
    deadline = ""
    if ticket.sla_deadline and ticket.state.value not in ("levererad", "avslutad", "makulerad"):
        deadline = f" Utlovat senast {format_datetime(ticket.sla_deadline)}."
    return {
        "number": ticket.number,
        "service_name": ticket.title or "ärende till servicedesken",
        "state": ticket.state.value,
        "created": format_datetime(ticket.created_at),
        "deadline": deadline,
    }


def report_status(dispatcher: CollectingDispatcher, tracker: Tracker) -> str | None:
    """Tell the status of the named ticket, or of the person's latest one; return its number."""
    number = _requested_number(tracker)
    person = person_of(tracker)
    with desk_session() as session:
        requester = get_or_create_requester(
            session=session, channel=person.channel, external_id=person.external_id
        )
        if number:
            ticket = _owned(session, number, requester)
            if ticket is None:
                dispatcher.utter_message(response="utter_ticket_not_found", number=number)
                return None
        else:
            ticket = latest_requester_ticket(session=session, requester=requester)
            if ticket is None:
                dispatcher.utter_message(response="utter_no_tickets")
                return None
        dispatcher.utter_message(response="utter_ticket_status", **_describe(ticket))
        return ticket.number


def report_list(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """List the person's latest tickets with their states."""
    person = person_of(tracker)
    with desk_session() as session:
        requester = get_or_create_requester(
            session=session, channel=person.channel, external_id=person.external_id
        )
        tickets = list_requester_tickets(session=session, requester=requester, limit=10)
        if not tickets:
            dispatcher.utter_message(response="utter_no_tickets")
            return
        lines = "\n".join(
            f"• {t.number} – {t.title or 'ärende till servicedesken'} – {t.state.value}"
            for t in tickets
        )
    dispatcher.utter_message(response="utter_ticket_list", tickets=lines)


class ActionTicketStatus(Action):
    """Report the status of the named ticket, or of the person's latest one."""

    def name(self) -> str:
        return "action_ticket_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        number = report_status(dispatcher, tracker)
        return [SlotSet("ticket_number", number)] if number else []


class ActionListTickets(Action):
    """List the person's latest tickets with their states."""

    def name(self) -> str:
        return "action_list_tickets"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        report_list(dispatcher, tracker)
        return []


class ActionCancelTicket(Action):
    """Cancel one of the person's own tickets while its state allows it."""

    def name(self) -> str:
        return "action_cancel_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        number = _requested_number(tracker)
        person = person_of(tracker)
        with desk_session() as session:
            requester = get_or_create_requester(
                session=session, channel=person.channel, external_id=person.external_id
            )
            if not number:
                _offer_cancellable(dispatcher, session, requester)
                return []
            ticket = _owned(session, number, requester)
            if ticket is None:
                dispatcher.utter_message(response="utter_ticket_not_found", number=number)
                return []
            try:
                cancel_by_requester(
                    session=session,
                    ticket=ticket,
                    requester=requester,
                    actor=person.actor,
                )
            except (TransitionError, NotOwnerError):
                dispatcher.utter_message(
                    response="utter_ticket_already_closed", number=number, state=ticket.state.value
                )
                return []
        dispatcher.utter_message(response="utter_ticket_cancelled", number=number)
        return []


def _offer_cancellable(
    dispatcher: CollectingDispatcher, session: Any, requester: Requester
) -> None:
    open_tickets = [
        t
        for t in list_requester_tickets(session=session, requester=requester, limit=10)
        if t.state in REQUESTER_CANCELLABLE
    ]
    if not open_tickets:
        dispatcher.utter_message(response="utter_nothing_to_cancel")
        return
    buttons = [
        {
            "title": f"{t.number} – {t.title or 'ärende'}",
            "payload": f'/cancel_ticket{{"ticket_number":"{t.number}"}}',
        }
        for t in open_tickets[:5]
    ]
    dispatcher.utter_message(response="utter_choose_ticket_to_cancel", buttons=buttons)
