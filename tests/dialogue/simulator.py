"""Simulated employees against the real stack: desk relay -> Rasa -> actions -> database.

A case (``cases.yml``) is a first message, how the person answers each question, optional
extra turns at given points (a correction at the summary, a question instead of an
answer, …) and the tickets expected at the end. The simulator reads which question is
being asked from Rasa's tracker (``requested_slot`` of the order form) the way a person
reads the chat, answers it, says "ja" at a summary with nothing left to say, and stops
when nothing is asked any more.

Measures per case: success (exactly the expected tickets, in order, with the expected
details), whether the first service presented was the right one, the number of the
person's turns, and redundant questions (a detail asked again although the first message
gave it).
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from servicedesk.models import Requester, Ticket
from tests.support.stack import Stack, default_answer, field_in_slot

MAX_TURNS = 30
SUMMARY = "Stämmer det här?"
_NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read and check the cases file."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for case in cases:
        missing = {"id", "say", "expect"} - set(case)
        if missing:
            raise ValueError(f"case {case.get('id')!r}: missing {sorted(missing)}")
    return list(cases)


@dataclass
class Outcome:
    """What happened in one simulated conversation."""

    case_id: str
    kind: str
    success: bool
    first_try_service: bool | None
    turns: int
    redundant: int
    problems: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)


class Simulator:
    """Runs cases against a running :class:`Stack`."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.senders: set[str] = set()

    def close(self) -> None:
        """Close the web chat clients of the simulated employees."""
        for sender in self.senders:
            self.stack.forget(sender)

    def _say(self, sender: str, text: str, log: list[str]) -> list[dict[str, Any]]:
        self.senders.add(sender)
        log.append(f"> {text}")
        response = self.stack.visitor(sender).say(text, timeout=120)
        response.raise_for_status()
        replies = list(response.json())
        log.extend(f"< {m.get('text', '')}" for m in replies)
        return replies

    def run(self, case: dict[str, Any]) -> Outcome:
        """Play one case and judge it."""
        sender = f"sim-{uuid.uuid4().hex[:12]}"
        log: list[str] = []
        given = set(case.get("given") or [])
        answers: dict[str, str] = {k: str(v) for k, v in (case.get("answers") or {}).items()}
        script: dict[str, list[str]] = {}
        for step in case.get("script") or []:
            script.setdefault(str(step["at"]), []).append(str(step["say"]))
        problems: list[str] = []
        redundant = 0
        asked_before: dict[str, int] = {}
        replies = self._say(sender, str(case["say"]), log)
        turns = 1
        state = self.stack.tracker(sender)
        first_service = (state.get("slots") or {}).get("service_code")
        expected = list((case.get("expect") or {}).get("tickets") or [])
        first_try = None
        if expected and expected[0].get("service"):
            first_try = first_service == expected[0]["service"]
        pending = [str(t.get("service") or "") for t in expected]
        while turns < MAX_TURNS:
            choice = _choice(replies, pending[0] if pending else "")
            if choice is not None:  # candidates offered: click the one meant, as a person would
                replies = self._say(sender, choice, log)
                turns += 1
                state = self.stack.tracker(sender)
                continue
            slots = state.get("slots") or {}
            loop = (state.get("active_loop") or {}).get("name")
            requested = slots.get("requested_slot")
            if loop != "service_form" or not requested:
                break
            point = "summary" if requested == "confirmed" else f"ask:{requested}"
            if point != "summary":
                asked_before[requested] = asked_before.get(requested, 0) + 1
                if (
                    requested in given
                    and asked_before[requested] == 1
                    and slots.get("service_code")
                    == (expected[0].get("service") if expected else None)
                ):
                    redundant += 1
            if point == "summary":
                # A turn meant for a question that was never asked (the first message
                # already gave that detail) is said at the summary, as a person would.
                for key in [k for k in script if k.startswith("ask:") and script[k]]:
                    script.setdefault("summary", []).extend(script.pop(key))
            if script.get(point):
                text = script[point].pop(0)
            elif point == "summary":
                if slots.get("confirm_step") == "change":
                    problems.append("left at 'what to change' with nothing to say")
                    break
                text = "ja"
            elif requested in answers or requested.startswith("field_"):
                text = answers.get(requested) or self._custom_answer(slots, requested, answers)
                if asked_before[requested] > 3:
                    problems.append(f"stuck on {requested}")
                    break
            else:
                problems.append(f"unexpected question for {requested}")
                break
            replies = self._say(sender, text, log)
            turns += 1
            if any(_NUMBER.search(str(m.get("text") or "")) for m in replies) and pending:
                pending.pop(0)
            state = self.stack.tracker(sender)
        problems += self._judge(sender, expected)
        return Outcome(
            case_id=str(case["id"]), kind=str(case.get("kind") or ""),
            success=not problems, first_try_service=first_try, turns=turns,
            redundant=redundant, problems=problems, transcript=log,
        )  # fmt: skip

    def _custom_answer(self, slots: dict[str, Any], slot: str, answers: dict[str, str]) -> str:
        """How a person answers a catalogue-defined question: the case's answer for its key,
        else a plausible one for its type (a cost centre, "inga", the first option, …)."""
        field = field_in_slot(self.stack.database_url, str(slots.get("service_code") or ""), slot)
        if not field:
            return "ja"
        if str(field.get("key")) in answers:
            return answers[str(field["key"])]
        return default_answer(field)

    def _tickets(self, sender: str) -> list[Ticket]:
        engine = create_engine(self.stack.database_url)
        try:
            with Session(engine) as session:
                found = list(
                    session.scalars(
                        select(Ticket)
                        .join(Requester, Ticket.requester_id == Requester.id)
                        .where(
                            Requester.channel == "web",
                            Requester.external_id == self.stack.web_id(sender),
                        )
                        .order_by(Ticket.id)
                    )
                )
                session.expunge_all()
                return found
        finally:
            engine.dispose()

    def _judge(self, sender: str, expected: Sequence[dict[str, Any]]) -> list[str]:
        tickets = self._tickets(sender)
        problems = []
        if len(tickets) != len(expected):
            made = [(t.service_code, t.escalated) for t in tickets]
            return [f"expected {len(expected)} ticket(s), got {len(tickets)}: {made}"]
        for i, (ticket, want) in enumerate(zip(tickets, expected, strict=True)):
            if want.get("escalated"):
                if not ticket.escalated:
                    problems.append(f"ticket {i + 1} is not escalated")
                if want.get("service") and ticket.service_code != want["service"]:
                    problems.append(f"ticket {i + 1}: {ticket.service_code} != {want['service']}")
                    continue
                # (an escalation may be routed to the service it is about; what the order
                # already held goes with it, when the case says what)
            elif ticket.service_code != want.get("service"):
                problems.append(f"ticket {i + 1}: {ticket.service_code} != {want.get('service')}")
                continue
            for key, value in (want.get("details") or {}).items():
                got = str((ticket.details or {}).get(key, ""))
                if _norm(got) != _norm(str(value)):
                    problems.append(f"ticket {i + 1} {key}: {got!r} != {value!r}")
        return problems


def _choice(replies: Sequence[dict[str, Any]], wanted: str) -> str | None:
    """The payload of the candidate button for ``wanted``, when candidates are offered."""
    buttons = [b for m in replies[-1:] for b in m.get("buttons") or []]
    offered = [b for b in buttons if str(b.get("payload", "")).startswith("/choose_service")]
    if not offered or not wanted:
        return None
    for button in offered:
        if f'"{wanted}"' in str(button.get("payload")):
            return str(button["payload"])
    return None


def _norm(value: str) -> str:
    value = value.strip().lower().strip(" .!")
    value = value.replace("–", "-")
    return re.sub(r"\s+", " ", value)


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The headline figures (the JSON line ``make eval-dialogue`` ends with)."""
    n = len(outcomes)
    firsts = [o.first_try_service for o in outcomes if o.first_try_service is not None]
    plain = [o.turns for o in outcomes if o.kind == "plain"]
    by_kind: dict[str, list[bool]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o.success)
    return {
        "n": n,
        "task_success": round(sum(o.success for o in outcomes) / n, 4) if n else None,
        "first_try_service": round(sum(firsts) / len(firsts), 4) if firsts else None,
        "mean_turns": round(sum(o.turns for o in outcomes) / n, 2) if n else None,
        "mean_turns_plain": round(sum(plain) / len(plain), 2) if plain else None,
        "redundant_questions": sum(o.redundant for o in outcomes),
        "success_by_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
    }


def main(cases_path: Path, tmp: Path, verbose: bool = False) -> dict[str, Any]:
    """Start a stack, play every case, print failures and the JSON line."""
    from tests.support.stack import start_stack

    cases = load_cases(cases_path)
    stack = start_stack(tmp)
    simulator = Simulator(stack)
    outcomes = []
    started = time.monotonic()
    try:
        for case in cases:
            outcome = simulator.run(case)
            outcomes.append(outcome)
            if not outcome.success or verbose:
                asked = f" ({outcome.redundant} asked again)" if outcome.redundant else ""
                print(f"[{'ok' if outcome.success else 'FAIL'}] {outcome.case_id}{asked}: "
                      f"{'; '.join(outcome.problems)}")  # fmt: skip
                if not outcome.success or (verbose and outcome.redundant):
                    shown = int(os.environ.get("DIALOGUE_TRANSCRIPT_LINES", "14"))
                    print("    " + "\n    ".join(outcome.transcript[-shown:]))
    finally:
        simulator.close()
        stack.stop()
    result = summarise(outcomes)
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, ensure_ascii=False))
    return result
