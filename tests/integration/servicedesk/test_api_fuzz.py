"""Property-based test of the desk over its own OpenAPI schema: no input gives a 5xx.

In the manner of schemathesis (which the project does not depend on): for every operation
in ``/openapi.json``, and for the console's pages and login form (not in the schema, so
described here the same way), :data:`EXAMPLES` requests are drawn from the parameter and
body schemas. Valid values are mixed with hostile ones: NUL, lone surrogates, huge and
non-finite numbers, dates at the ends of the calendar, over-long strings, wrong types,
missing parameters and malformed JSON. They go in-process to the ASGI app on a real
database (SQLite, and PostgreSQL), authenticated as an admin (bearer token, or the console
cookie), and every answer must

* not be a server error, unless the operation documents it (503 when Rasa is down),
* be short when it is a client error (no megabytes of input echoed back),
* carry the desk's security headers.

The draw is seeded (``FUZZ_SEED``) and bounded (``FUZZ_EXAMPLES`` per operation), so a
failure replays; the message names the seed, the request and the answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from servicedesk.agents import create_agent
from servicedesk.api import chat
from servicedesk.console import auth as console_auth
from servicedesk.models import AgentRole, Department, Requester, TicketState
from tests.integration.servicedesk.test_api import DeskClient, _client
from tests.integration.servicedesk.test_desk import _service, _ticket

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
#: Share of values drawn from the hostile pool instead of the schema.
HOSTILE_RATE = 0.3
#: A client error answer longer than this echoes too much.
MAX_ERROR_BYTES = 16_000
SECURITY_HEADERS = ("x-content-type-options", "referrer-policy", "x-frame-options")


@dataclass(frozen=True)
class Raw:
    """JSON text written as is (``1e999999`` has no Python value that dumps to it)."""

    text: str


HOSTILE: list[Any] = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "x" * 5000, "a" * 201, "%00", "%",
    "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "Åsa Öberg – ärende",
    "\N{PILE OF POO}", "\u202eevil", "\t\n", "null", "SD-2026-00001", "0001-01-01",
    "9999-12-31", "2026-02-30", "1e999999", "-1", "true",
    0, -1, 1, 2**31 - 1, 2**31, 87300903504, 2**63 - 1, 2**63, 9223372036854775808,
    10**30, -(2**63) - 1, 0.5, -0.0, 1e308,
    Raw("1e999999"), Raw("-1e999999"), Raw("NaN"), Raw("Infinity"), Raw("1" * 5000),
    True, False, None, [], {}, ["\x00"], {"\x00": 1}, [[[[[]]]]],
]  # fmt: skip
MALFORMED_BODIES = [
    b'{"text": ', b"{'text': 'x'}", b"[", b"null", b'"x"', b"1e999999", b"\xff\xfe\x00",
    b"[" * 20_000, b'{"a":' * 500, b"",
]  # fmt: skip
DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "9998-12-31", "2026-02-29"]
TEXT_ALPHABET = string.ascii_letters + string.digits + " åäöÅÄÖé-_.,:;!?/'\"%&()"


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _expand_class(chars: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(chars):
        if chars[i] == "\\":
            out.append(chars[i + 1])
            i += 2
        elif i + 2 < len(chars) and chars[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(chars[i]), ord(chars[i + 2]) + 1))
            i += 3
        else:
            out.append(chars[i])
            i += 1
    return out


_SIMPLE_PATTERN = re.compile(r"^\^\[(?P<cls>[^\]]+)\](?:\{(?P<lo>\d+),(?P<hi>\d+)\}|\+)\$$")


def _from_pattern(pattern: str, rng: random.Random) -> str | None:
    """A string matching a ``^[class]{m,n}$`` or ``^[class]+$`` pattern, else None."""
    match = _SIMPLE_PATTERN.match(pattern)
    if match is None:
        return None
    chars = _expand_class(match["cls"])
    low, high = (int(match["lo"]), int(match["hi"])) if match["lo"] else (1, 30)
    return "".join(rng.choice(chars) for _ in range(rng.randint(low, min(high, 40))))


def _text(schema: dict[str, Any], rng: random.Random, hostile: bool) -> str:
    if schema.get("format") == "date":
        if hostile and rng.random() < 0.3:
            return rng.choice(DATES)
        return (date(2026, 1, 1) + timedelta(days=rng.randint(-800, 800))).isoformat()
    if "pattern" in schema and (not hostile or rng.random() < 0.8):
        made = _from_pattern(schema["pattern"], rng)
        if made is not None:
            return made
    low = schema.get("minLength", 0)
    high = schema.get("maxLength", 60)
    lengths = [low, min(high, 60), rng.randint(low, max(low, min(high, 60)))]
    length = rng.choice([*lengths, high + 1] if hostile else lengths)
    return "".join(rng.choice(TEXT_ALPHABET) for _ in range(length))


def draw(
    schema: dict[str, Any], components: dict[str, Any], rng: random.Random, hostile: bool
) -> Any:
    """A value for ``schema``: as it describes, or when ``hostile`` often anything at all
    and at the edges of what it describes."""
    schema = _resolve(schema, components)
    if hostile and rng.random() < HOSTILE_RATE:
        return rng.choice(HOSTILE)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return draw(rng.choice(schema[key]), components, rng, hostile)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return _text(schema, rng, hostile)
    if kind == "integer":
        low, high = schema.get("minimum", -5), schema.get("maximum", 10_000)
        edges = [low - 1, high + 1] if hostile else []
        return rng.choice([low, high, *edges, rng.randint(low, high)])
    if kind == "number":
        return rng.uniform(-1e6, 1e6)
    if kind == "boolean":
        return rng.choice([True, False])
    if kind == "null":
        return None
    if kind == "array":
        items = schema.get("items", {})
        return [draw(items, components, rng, hostile) for _ in range(rng.randint(0, 3))]
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        value = {
            name: draw(sub, components, rng, hostile)
            for name, sub in schema.get("properties", {}).items()
            if name in required or rng.random() < 0.6
        }
        if hostile and rng.random() < 0.1:
            value[rng.choice(["extra", "x\x00", "_"])] = rng.choice(HOSTILE)
        return value
    return rng.choice(HOSTILE)


def to_json(value: Any) -> bytes:
    """JSON text of ``value``, with :class:`Raw` parts written as they are."""
    raws: dict[str, str] = {}

    def mark(item: Any) -> Any:
        if isinstance(item, Raw):
            key = f"\ue000{len(raws)}\ue000"
            raws[key] = item.text
            return key
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value))
    for key, raw in raws.items():
        text = text.replace(json.dumps(key), raw)
    return text.encode("utf-8", "surrogatepass")


def to_param(value: Any) -> str | None:
    """``value`` as it is written in a URL (percent-encoded UTF-8; lone surrogates too)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Raw):
        text = value.text
    elif isinstance(value, list | dict):
        text = json.dumps(value)
    else:
        text = str(value)
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@dataclass
class Operation:
    """One operation to fuzz: where it is, its parameters and body, what it documents."""

    method: str
    path: str
    parameters: list[dict[str, Any]]
    body: dict[str, Any] | None = None
    form: bool = False
    documented: set[int] = field(default_factory=set)
    console: bool = False


def api_operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation of the OpenAPI schema but event streams (open for minutes by design;
    tested in tests/e2e/test_chat_stream.py)."""
    found = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            answers = spec.get("responses", {}).values()
            if any("text/event-stream" in a.get("content", {}) for a in answers):
                continue
            content = spec.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            documented = {int(code) for code in spec.get("responses", {}) if code.isdigit()}
            found.append(
                Operation(method.upper(), path, spec.get("parameters", []), body,
                          documented=documented)
            )  # fmt: skip
    return found


def _query(*names: str, **schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]
    return params + [{"name": n, "in": "query", "schema": s} for n, s in schemas.items()]


_NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}
_DATE = {"type": "string", "format": "date"}
_QUEUE = _query(
    "ko", "visa", "eskalerade", "forsenade", "forvaltning", "mina", "q", "sida",
    status={"enum": [s.value for s in TicketState] + ["", "x"]},
)  # fmt: skip
#: The console's pages and forms, which ``include_in_schema=False`` keeps out of the schema.
CONSOLE_OPERATIONS = [
    Operation("GET", "/konsol", _QUEUE, console=True),
    Operation("GET", "/konsol/ko-rader", _QUEUE, console=True),
    Operation("GET", "/konsol/arenden/{number}", [_NUMBER], console=True),
    Operation("GET", "/konsol/statistik", _query(fran=_DATE, till=_DATE), console=True),
    Operation("GET", "/konsol/logga-in", _query("next")),
    Operation(
        "POST", "/konsol/logga-in", [], form=True,
        body={"type": "object", "properties": {"token": {"type": "string"},
                                               "next": {"type": "string"}}},
    ),
    Operation("POST", "/konsol/logga-ut", []),
    Operation(
        "GET", "/konsol/rapporter/kunddialog",
        _query("grupp", fran=_DATE, till=_DATE, jamfor_fran=_DATE, jamfor_till=_DATE),
        console=True,
    ),
]  # fmt: skip


@dataclass
class Drawn:
    """One request drawn for an operation."""

    method: str
    url: str
    headers: dict[str, str]
    content: bytes | None = None

    def __str__(self) -> str:
        body = "" if self.content is None else f" body={self.content[:300]!r}"
        return f"{self.method} {self.url[:300]}{body}"


def draw_request(
    op: Operation, components: dict[str, Any], rng: random.Random, number: str
) -> Drawn:
    """A request for ``op``: valid, or hostile (values from :data:`HOSTILE`, at the edges,
    left out, or a malformed body)."""
    hostile = rng.random() < 0.6
    path = op.path
    query: list[str] = []
    for param in op.parameters:
        value = (
            number
            if param["in"] == "path" and rng.random() < 0.5
            else draw(param.get("schema", {}), components, rng, hostile)
        )
        text = to_param(value)
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", text or "x")
        elif text is not None and (not hostile or rng.random() < 0.8):
            query.append(f"{param['name']}={text}")
    url = path + ("?" + "&".join(query) if query else "")
    headers: dict[str, str] = {}
    content = None
    if op.body is not None:
        value = draw(op.body, components, rng, hostile)
        if op.form:
            pairs = value.items() if isinstance(value, dict) else []
            content = "&".join(f"{k}={to_param(v) or ''}" for k, v in pairs).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif hostile and rng.random() < 0.15:
            content = rng.choice(MALFORMED_BODIES)
            headers["Content-Type"] = "application/json"
        else:
            content = to_json(value)
            types = ["application/json"] * 8 + (["text/plain", ""] if hostile else [])
            headers["Content-Type"] = rng.choice(types)
    return Drawn(op.method, url, headers, content)


@pytest.fixture
def client(db_url: str, fake_rasa: ThreadingHTTPServer) -> DeskClient:
    """The desk on a real, migrated database, wired to the stand-in Rasa."""
    return _client(db_url, f"http://127.0.0.1:{fake_rasa.server_port}")


@pytest.fixture
def seeded(session: Session) -> tuple[str, str]:
    """A ticket to aim at and the admin's token: (ticket number, token)."""
    session.add(Department(code="KLK", name="Kommunledningskontoret"))
    person = Requester(channel="web", external_id="web-1", name="Kim Berg")
    session.add(person)
    _service(session, "IT-01", "IT")
    session.commit()
    ticket = _ticket(session, person, escalated=True)
    _agent, token = create_agent(session=session, username="admin-a", role=AgentRole.ADMIN)
    session.commit()
    return ticket.number, token


def _check(op: Operation, response: httpx.Response) -> str | None:
    status = response.status_code
    if status >= 500 and status not in op.documented:
        return f"answered {status}: {response.text[:500]}"
    if 400 <= status < 500 and len(response.content) > MAX_ERROR_BYTES:
        return f"answered {status} with {len(response.content)} bytes"
    missing = [h for h in SECURITY_HEADERS if h not in response.headers]
    if missing:
        return f"answered {status} without {missing}"
    return None


async def _fuzz(app: FastAPI, number: str, token: str) -> tuple[int, list[str]]:
    """Send every drawn request on one event loop, as the desk runs; return the failures."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk") as http:
        schema = (await http.get("/openapi.json")).json()
        components = schema.get("components", {}).get("schemas", {})
        operations = api_operations(schema) + CONSOLE_OPERATIONS
        assert len(operations) >= 25
        login = await http.post("/konsol/logga-in", data={"token": token, "next": "/konsol"})
        cookie = login.cookies[console_auth.COOKIE_NAME]
        http.cookies.clear()
        failures: list[str] = []
        sent = 0
        for op in operations:
            rng = random.Random(f"{SEED}:{op.method}:{op.path}")
            for example in range(EXAMPLES):
                drawn = draw_request(op, components, rng, number)
                headers = dict(drawn.headers)
                if op.console:
                    headers["Cookie"] = f"{console_auth.COOKIE_NAME}={cookie}"
                elif op.path.startswith("/api") and rng.random() < 0.95:
                    headers["Authorization"] = f"Bearer {token}"
                response = await http.request(
                    drawn.method, drawn.url, headers=headers, content=drawn.content
                )
                http.cookies.clear()
                sent += 1
                problem = _check(op, response)
                if problem:
                    failures.append(f"[seed {SEED}, example {example}] {drawn} {problem}")
        assert sent == len(operations) * EXAMPLES
        return sent, failures


def test_no_drawn_request_gets_a_server_error(
    client: DeskClient, seeded: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Turns the web chat remembers belong to the event loop of an earlier test.
    monkeypatch.setattr(chat, "_registries", {}, raising=False)
    number, token = seeded
    sent, failures = asyncio.run(_fuzz(client.app, number, token))
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures)
