"""The whole assistant on free ports: action server, Rasa server and desk app."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from servicedesk.api.web_identity import COOKIE_NAME, person_from_cookie
from servicedesk.models import Requester, Service, Ticket
from tests.support.processes import (
    REPO,
    Process,
    base_env,
    free_port,
    rasa_env,
    run_app,
    trained_model,
    wait_for,
)


class WebVisitor:
    """One person in the web chat, as a browser: an HTTP client keeping the desk's cookies.

    It opens the page first, so the desk issues its identity cookie before the first message.
    """

    def __init__(self, desk_url: str, secret_key: str) -> None:
        self.http = httpx.Client(base_url=desk_url, timeout=60)
        self._secret_key = secret_key
        self.http.get("/").raise_for_status()

    @property
    def person_id(self) -> str:
        """The person id the desk issued (read from its signed cookie)."""
        found = person_from_cookie(self._secret_key, self.http.cookies.get(COOKIE_NAME))
        assert found is not None, "the desk issued no identity cookie"
        return found

    def say(self, text: str, timeout: float = 60, **fields: Any) -> httpx.Response:
        """POST one message to the web chat (``fields``: ``message_id`` and the like)."""
        return self.http.post("/api/chat", json={"message": text, **fields}, timeout=timeout)

    def close(self) -> None:
        """Close the client."""
        self.http.close()


@dataclass
class Stack:
    """URLs, a desk token and the database of a running stack.

    Web chat people are named by the test (``"anna"``, ``"sim-…"``); each name is a
    :class:`WebVisitor` with the identity the desk issued it (:meth:`web_id`).
    """

    database_url: str
    desk_url: str
    rasa_url: str
    action_url: str
    admin_token: str
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)
    visitors: dict[str, WebVisitor] = field(default_factory=dict)

    def visitor(self, name: str) -> WebVisitor:
        """The web chat person the test calls ``name`` (a new browser the first time)."""
        if name not in self.visitors:
            self.visitors[name] = WebVisitor(self.desk_url, self.env["SERVICEDESK_SECRET_KEY"])
        return self.visitors[name]

    def forget(self, name: str) -> None:
        """Close the client of web chat person ``name`` (the person stays in the database)."""
        visitor = self.visitors.pop(name, None)
        if visitor is not None:
            visitor.close()

    def web_id(self, name: str) -> str:
        """The person id the desk issued to ``name`` (its Rasa conversation is ``web:<id>``)."""
        return self.visitor(name).person_id

    def tickets_of(self, name: str) -> list[Ticket]:
        """The tickets of web chat person ``name``, read from the desk database (detached)."""
        engine = create_engine(self.database_url)
        try:
            with Session(engine) as session:
                query = (
                    select(Ticket)
                    .join(Requester, Ticket.requester_id == Requester.id)
                    .where(Requester.channel == "web", Requester.external_id == self.web_id(name))
                )
                found = list(session.scalars(query))
                session.expunge_all()
                return found
        finally:
            engine.dispose()

    def chat(self, sender: str, text: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Send one message as web chat person ``sender`` and return the bot's messages.

        As the web chat does (webchat.js ``submit``): the message carries its own id, and
        when the answer never arrives (the connection dropped, say by a balancer whose desk
        died) it is sent once more with the same id, which the desk answers only once.
        """
        visitor, message_id = self.visitor(sender), uuid.uuid4().hex
        try:
            response = visitor.say(text, timeout, message_id=message_id)
        except httpx.TransportError:
            response = visitor.say(text, timeout, message_id=message_id)
        response.raise_for_status()
        return list(response.json())

    def chat_through_fields(
        self, sender: str, text: str, timeout: float = 60
    ) -> list[dict[str, Any]]:
        """Like :meth:`chat`, then answer any catalogue-defined question (cost centre,
        allergies, …) as a person would, so a test about other things reaches the summary."""
        replies = self.chat(sender, text, timeout)
        for _ in range(8):
            slot = self.requested_slot(sender)
            if not slot or not slot.startswith("field_"):
                break
            field = self.defined_field(sender, slot)
            replies += self.chat(sender, default_answer(field), timeout)
        return replies

    def tracker(self, sender: str, channel: str = "web") -> dict[str, Any]:
        """Rasa's state of this conversation (slots, active loop), without its events.

        ``sender`` is the test's name of a web chat person, or the id on another channel.
        """
        external_id = self.web_id(sender) if channel == "web" else sender
        response = httpx.get(
            f"{self.rasa_url}/conversations/{channel}:{external_id}/tracker",
            params={"token": self.env["SERVICEDESK_RASA_TOKEN"], "include_events": "NONE"},
            timeout=30,
        )
        response.raise_for_status()
        return dict(response.json())

    def tracker_events(self, sender: str, channel: str = "web") -> list[dict[str, Any]]:
        """Every event of this conversation in Rasa's tracker store, oldest first."""
        external_id = self.web_id(sender) if channel == "web" else sender
        response = httpx.get(
            f"{self.rasa_url}/conversations/{channel}:{external_id}/tracker",
            params={"token": self.env["SERVICEDESK_RASA_TOKEN"], "include_events": "ALL"},
            timeout=30,
        )
        response.raise_for_status()
        return list(response.json().get("events") or [])

    def requested_slot(self, sender: str, channel: str = "web") -> str | None:
        """The slot the order form is asking for in this conversation, if any."""
        slots = self.tracker(sender, channel).get("slots") or {}
        return str(slots["requested_slot"]) if slots.get("requested_slot") else None

    def defined_field(self, sender: str, slot: str, channel: str = "web") -> dict[str, Any]:
        """The catalogue definition behind ``field_N`` in this conversation's order."""
        code = str((self.tracker(sender, channel).get("slots") or {}).get("service_code") or "")
        return field_in_slot(self.database_url, code, slot)

    def api(self, path: str) -> httpx.Response:
        """GET a desk API path with the admin token."""
        return httpx.get(
            f"{self.desk_url}{path}",
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )

    def crash_and_restart(self, name: str, between: Callable[[], None] = lambda: None) -> None:
        """Kill process ``name`` (SIGKILL), run ``between``, then start it again and wait
        until it answers (Rasa reloads its model: about a minute on a busy machine)."""
        proc = next(p for p in reversed(self.processes) if p.name.startswith(name))
        proc.crash()
        try:
            between()
        finally:
            again = proc.again()
            self.processes.append(again)
            url = {
                "rasa": f"{self.rasa_url}/status",
                "actions": f"{self.action_url}/health",
                "desk": f"{self.desk_url}/",
            }[name]
            wait_up(again, url)

    def stop(self) -> None:
        """Stop every process of the stack."""
        for visitor in self.visitors.values():
            visitor.close()
        for proc in reversed(self.processes):
            proc.stop()


def start_stack(
    tmp: Path,
    database_url: str | None = None,
    endpoints: Path | None = None,
    extra_env: dict[str, str] | None = None,
    desk_port: int | None = None,
) -> Stack:
    """Migrate and seed a fresh database, then start actions, Rasa and the desk on free ports
    (the desk on ``desk_port`` when given: a provider must know its URL beforehand)."""
    database_url = database_url or f"sqlite:///{tmp / 'desk.db'}"
    env = base_env(database_url)
    token = seed_database(tmp, env)
    action_port, rasa_port = free_port(), free_port()
    desk_port = desk_port or free_port()
    stack = Stack(
        database_url=database_url,
        desk_url=f"http://127.0.0.1:{desk_port}",
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        admin_token=token,
        env=env,
    )
    env.update(
        {"SERVICEDESK_RASA_URL": stack.rasa_url, "SERVICEDESK_ACTION_SERVER_URL": stack.action_url}
    )
    # The repository's own endpoints.yml, filled from the environment as in `make run`.
    endpoints = endpoints or REPO / "endpoints.yml"
    env.update(extra_env or {})
    env.update(
        {
            "ACTION_ENDPOINT_URL": f"{stack.action_url}/webhook",
            "RASA_TRACKER_DB": str(tmp / "tracker.db"),
            "ENVAGIN_CATALOGUE_JSON": str(tmp / "nlu" / "catalogue.json"),
        }
    )
    try:
        _launch(stack, tmp, endpoints, action_port, rasa_port, desk_port)
    except BaseException:
        stack.stop()
        raise
    return stack


def seed_database(tmp: Path, env: dict[str, str]) -> str:
    """Migrate the database of ``env``, sync the default catalogue (its NLU data into
    ``tmp/nlu``) and create an admin agent; return the admin's token."""
    run_app(["-m", "servicedesk", "migrate"], env)
    run_app(
        [
            "-m", "catalogue_sync", str(REPO / "data" / "tjanstekatalog.csv"),
            "--departments", str(REPO / "data" / "forvaltningar.csv"),
            "--nlu-dir", str(tmp / "nlu"),
        ],
        env,
    )  # fmt: skip
    created = run_app(["-m", "servicedesk", "create-agent", "e2e-admin", "--role", "admin"], env)
    # The token is printed alone on the last line (it may start with "-", so no regex).
    token = created.stdout.strip().splitlines()[-1].strip()
    assert len(token) >= 40, created.stdout
    return token


def _launch(
    stack: Stack, tmp: Path, endpoints: Path, action_port: int, rasa_port: int, desk_port: int
) -> None:
    env = stack.env
    actions = Process(
        "actions",
        [
            sys.executable,
            "-m",
            "actions._server",
            "--host",
            "127.0.0.1",
            "--port",
            str(action_port),
        ],
        env,
        tmp,
    )
    stack.processes.append(actions)
    rasa = Process(
        "rasa",
        [
            str(rasa_env() / "bin" / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1",
            f"--auth-token={env['SERVICEDESK_RASA_TOKEN']}",
            "--model", str(trained_model()),
            "--endpoints", str(endpoints), "--credentials", str(REPO / "credentials.yml"),
            "--port", str(rasa_port),
        ],
        env,
        tmp,
    )  # fmt: skip
    stack.processes.append(rasa)
    desk = Process(
        "desk",
        [
            sys.executable,
            "-m",
            "servicedesk",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(desk_port),
        ],
        env,
        tmp,
    )
    stack.processes.append(desk)
    for proc, url in (
        (actions, f"{stack.action_url}/health"),
        (desk, f"{stack.desk_url}/"),
        (rasa, f"{stack.rasa_url}/status"),
    ):
        wait_up(proc, url)


def wait_up(proc: Process, url: str) -> None:
    """Wait until ``proc`` answers ``url`` below 500 (fail at once when it exits)."""

    def up() -> bool:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited:\n{proc.log_tail()}")
        return httpx.get(url, timeout=2).status_code < 500

    try:
        wait_for(up, timeout=180, what=f"{proc.name} at {url}")
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\n{proc.log_tail()}") from exc


def field_in_slot(database_url: str, code: str, slot: str) -> dict[str, Any]:
    """The catalogue definition that ``field_N`` holds in an order of service ``code``."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            service = session.get(Service, code)
            fields = list(service.fields or []) if service is not None else []
    finally:
        engine.dispose()
    index = int(slot.removeprefix("field_")) - 1
    return dict(fields[index]) if 0 <= index < len(fields) else {}


def default_answer(field: dict[str, Any]) -> str:
    """A plausible answer to a catalogue-defined question of this type."""
    kind = field.get("type", "text")
    if kind == "choice":
        return str((field.get("options") or ["ja"])[0])
    if kind == "yesno":
        return "nej"
    if kind == "number":
        return str(field.get("min") or 1)
    if kind == "personnummer" and field.get("required", True):
        return "811218-9876"  # a test number (valid date and check digit), kept encrypted
    if not field.get("required", True):
        return "inga"
    return "4410" if "kostnad" in str(field.get("key")) else "Anna Berg och Olle Ek"
