"""What every request passes before a route sees it, and headers every response gets.

:class:`InputGuard` refuses, once for the whole desk, input no route can store or answer:

* NUL (U+0000) anywhere in the path, a query parameter, an urlencoded form field or a JSON string
  (key or value): PostgreSQL cannot store it in a text column;
* a lone surrogate (``"\\ud800"`` in JSON): no database driver can encode it;
* a JSON number that is not finite (``1e999999``, ``NaN``, ``Infinity``), which Python's
  JSON reader accepts but nothing can compute with or write back;
* a body larger than ``max_request_body_bytes`` (413).

Refusals are 422 answers shaped like FastAPI's own (``detail`` is a list of errors with
``loc``, ``msg`` and ``type``), with a Swedish ``msg``. Bodies that are not valid JSON are
left to FastAPI, which answers 422 or 400 as before.

:class:`SecurityHeaders` adds ``X-Content-Type-Options``, ``Referrer-Policy``,
``X-Frame-Options`` and, when configured (production), ``Strict-Transport-Security`` to
every response that does not set its own.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "FINITE_MESSAGE",
    "NUL_MESSAGE",
    "SURROGATE_MESSAGE",
    "InputGuard",
    "SecurityHeaders",
    "text_problems",
]

NUL_MESSAGE = "Texten innehåller ett NUL-tecken (U+0000), som inte är tillåtet."
SURROGATE_MESSAGE = (
    "Texten innehåller ett ogiltigt Unicode-tecken (ett ensamt surrogattecken, U+D800–U+DFFF)."
)
FINITE_MESSAGE = "Talet är för stort eller inget ändligt tal (till exempel 1e999999, NaN)."
TOO_LARGE_MESSAGE = "Anropet är för stort (högst {limit} byte)."
#: At most this many errors are listed in one answer.
_MAX_ERRORS = 20
_FORM = "application/x-www-form-urlencoded"

Loc = list[str | int]


def _bad_text(text: str) -> tuple[str, str] | None:
    """The error type and message for ``text``, or None when it can be stored."""
    if "\x00" in text:
        return "string_nul", NUL_MESSAGE
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "string_surrogate", SURROGATE_MESSAGE
    return None


def _error(loc: Loc, kind: str, message: str) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": message}


def text_problems(value: Any, loc: Loc) -> list[dict[str, Any]]:
    """Errors for every string (dict keys too) in decoded JSON ``value`` that has NUL or a
    lone surrogate, located like FastAPI locates body fields (``["body", "text"]``)."""
    problems: list[dict[str, Any]] = []
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    while stack and len(problems) < _MAX_ERRORS:
        item, where = stack.pop()
        if isinstance(item, str):
            bad = _bad_text(item)
            if bad is not None:
                problems.append(_error(where, *bad))
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                bad = _bad_text(key)
                if bad is not None:
                    problems.append(_error([*where, _printable(key)], *bad))
                stack.append((child, [*where, key]))
        elif isinstance(item, list):
            stack.extend((child, [*where, i]) for i, child in reversed(list(enumerate(item))))
    return problems


def _printable(key: str) -> str:
    # A key that cannot be encoded cannot be sent back either; NUL can (as \u0000).
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


class _NotFiniteError(ValueError):
    """A JSON number Python reads as infinity or NaN."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFiniteError(text)
    return value


def _refuse_constant(text: str) -> float:
    raise _NotFiniteError(text)


def json_problems(body: bytes) -> list[dict[str, Any]]:
    """Errors for a JSON body: non-finite numbers, NUL, lone surrogates. A body that is not
    JSON at all has none here: FastAPI reports it as before."""
    try:
        value = json.loads(body, parse_float=_finite_float, parse_constant=_refuse_constant)
    except _NotFiniteError as exc:
        return [_error(["body"], "finite_number", FINITE_MESSAGE) | {"input": str(exc)[:200]}]
    except (ValueError, RecursionError):
        return []
    return text_problems(value, ["body"])


def _pairs_problems(pairs: list[tuple[str, str]], where: str) -> list[dict[str, Any]]:
    problems = []
    for name, value in pairs:
        bad = _bad_text(name) or _bad_text(value)
        if bad is not None:
            problems.append(_error([where, _printable(name)], *bad))
    return problems[:_MAX_ERRORS]


def query_problems(query_string: bytes) -> list[dict[str, Any]]:
    """Errors for the query string, decoded the way Starlette decodes it."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return _pairs_problems(pairs, "query")


def _is_json(content_type: str) -> bool:
    # FastAPI reads a body as JSON without a content type and for application/(*+)json.
    mime = content_type.split(";", 1)[0].strip().lower()
    return (
        not mime
        or mime == "application/json"
        or (mime.startswith("application/") and mime.endswith("+json"))
    )


def _content_type(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return str(value.decode("latin-1"))
    return ""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class InputGuard:
    """ASGI middleware refusing input that cannot be stored (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        bad = _bad_text(path)
        problems = [_error(["path"], *bad)] if bad else []
        problems += query_problems(scope.get("query_string", b""))
        if problems:
            await self._refuse(scope, receive, send, problems)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            content_type = _content_type(scope)
            if _is_json(content_type):
                problems = json_problems(body)
            elif content_type.split(";", 1)[0].strip().lower() == _FORM:
                pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
                problems = _pairs_problems(pairs, "body")
            if problems:
                await self._refuse(scope, receive, send, problems)
                return
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, problems: list[dict[str, Any]]
    ) -> None:
        response = JSONResponse({"detail": problems}, status_code=422)
        await response(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = f"{self.max_body_bytes:,}".replace(",", " ")
        detail = TOO_LARGE_MESSAGE.format(limit=limit)
        response = JSONResponse({"detail": detail}, status_code=413)
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out the already read body once, then waits as before."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeaders:
    """ASGI middleware adding the desk's security headers to every response."""

    def __init__(self, app: ASGIApp, *, hsts_max_age: int | None) -> None:
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
        }
        if hsts_max_age:
            self.headers["Strict-Transport-Security"] = f"max-age={hsts_max_age}; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
