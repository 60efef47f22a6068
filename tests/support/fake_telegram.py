"""A fake Telegram Bot API on a free local port: records every call, serves queued updates.

The real python-telegram-bot is pointed at it with ``base_url``/``base_file_url``
(the bridge reads ``SERVICEDESK_TELEGRAM_API_BASE_URL``). ``getUpdates`` hands out what
was pushed, ignoring the offset, so a test can deliver the same update twice.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.support.processes import wait_for

TOKEN = "123456:fake-token-for-tests"
#: One bot, one sequence of update ids, however many fakes a test run starts.
_UPDATE_IDS = itertools.count(500_000)
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Assistenten", "username": "en_vag_in_bot"}


@dataclass
class Call:
    """One Bot API request and what the fake answered."""

    method: str
    params: dict[str, Any]
    result: Any

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def markup(self) -> dict[str, Any] | None:
        raw = self.params.get("reply_markup")
        if raw in (None, "", "null"):
            return None
        return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw)

    def button_titles(self) -> list[str]:
        markup = self.markup or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


class FakeTelegram:
    """The fake server; use as a context manager or call :meth:`start`/:meth:`stop`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        #: Set once the bot has asked for updates (polling has started).
        self.polled = threading.Event()
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._cond = threading.Condition()
        self._ids = itertools.count(1000)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTelegram:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what tests do -------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the next getUpdates; return it (to push it again later)."""
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """Answer the next call of ``method`` with an error (429 carries ``retry_after``)."""
        params = {"retry_after": retry_after} if status == 429 else {}
        self._failures.setdefault(method, []).append((status, params))

    def sent(self, chat_id: int | str) -> list[Call]:
        """Every sendMessage to ``chat_id``, oldest first."""
        with self._cond:
            return [
                c for c in self.calls if c.method == "sendMessage" and c.chat_id == str(chat_id)
            ]

    def texts(self, chat_id: int | str) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.sent(chat_id)]

    def calls_of(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_sent(
        self, chat_id: int | str, after: int, check: Callable[[str], bool], timeout: float = 90
    ) -> list[Call]:
        """Wait until a message after the first ``after`` ones to ``chat_id`` passes ``check``."""

        def found() -> bool:
            return any(check(str(c.params.get("text", ""))) for c in self.sent(chat_id)[after:])

        try:
            wait_for(found, timeout=timeout, what=f"a matching message to chat {chat_id}")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; sent: {self.texts(chat_id)[after:]}") from None
        return self.sent(chat_id)[after:]

    def text_update(self, user_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": _chat(user_id), "from": _user(user_id), "text": text,
        }  # fmt: skip
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"update_id": next(_UPDATE_IDS), "message": message}

    def button_update(self, user_id: int, title: str) -> dict[str, Any]:
        """Press the button ``title`` of the latest message to ``user_id`` that has it."""
        for call in reversed(self.sent(user_id)):
            for row in (call.markup or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == title:
                        return {
                            "update_id": next(_UPDATE_IDS),
                            "callback_query": {
                                "id": str(next(self._ids)), "from": _user(user_id),
                                "chat_instance": str(user_id), "data": button["callback_data"],
                                "message": call.result,
                            },
                        }  # fmt: skip
        raise AssertionError(f"no button {title!r} sent to {user_id}: {self.texts(user_id)}")

    def photo_update(self, user_id: int, content: bytes, caption: str = "") -> dict[str, Any]:
        file_id = f"photo-{next(self._ids)}"
        self.files[file_id] = content
        photo = {
            "file_id": file_id, "file_unique_id": f"u{file_id}", "width": 10, "height": 10,
            "file_size": len(content),
        }  # fmt: skip
        message = {
            "message_id": next(self._ids), "date": int(time.time()), "chat": _chat(user_id),
            "from": _user(user_id), "photo": [photo], "caption": caption,
        }  # fmt: skip
        return {"update_id": next(_UPDATE_IDS), "message": message}

    # --- the Bot API -----------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        failures = self._failures.get(method)
        if failures:
            status, extra = failures.pop(0)
            with self._cond:
                self.calls.append(Call(f"{method} (failed)", params, {"error": status}))
            body = {"ok": False, "error_code": status, "description": f"fake error {status}"}
            if extra:
                body["parameters"] = extra
            return status, body
        if method == "getUpdates":
            self.polled.set()
            result: Any = self._take_updates(float(params.get("timeout", 0) or 0))
            if not result:
                return 200, {"ok": True, "result": []}
        else:
            result = self._result(method, params)
        with self._cond:
            self.calls.append(Call(method, params, result))
        return 200, {"ok": True, "result": result}

    def _take_updates(self, timeout: float) -> list[dict[str, Any]]:
        with self._cond:
            self._cond.wait_for(lambda: bool(self._updates), timeout=min(timeout, 0.5))
            taken, self._updates = self._updates, []
            return taken

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageReplyMarkup"):
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()), "chat": _chat(int(params["chat_id"])),
                "from": BOT_USER, "text": params.get("text", ""),
            }  # fmt: skip
            markup = Call(method, params, None).markup
            if markup:
                message["reply_markup"] = markup
            return message
        if method == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id, "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]), "file_path": f"photos/{file_id}.jpg",
            }  # fmt: skip
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # answerCallbackQuery, setWebhook, deleteWebhook, close, logOut, ...


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "sv"}


def _chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Test"}


def _handler(fake: FakeTelegram) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self) -> None:
            prefix = f"/file/bot{TOKEN}/photos/"
            path = unquote(self.path)  # python-telegram-bot quotes the token's colon
            if path.startswith(prefix):
                file_id = path.removeprefix(prefix).removesuffix(".jpg")
                if file_id in fake.files:
                    self._reply(200, fake.files[file_id], "application/octet-stream")
                    return
            self._reply(404, b"{}")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if not self.path.startswith(f"/bot{TOKEN}/"):
                body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                self._reply(401, json.dumps(body).encode())
                return
            method = self.path.rsplit("/", 1)[-1]
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(raw or "{}")
            else:
                params = {k: v[-1] for k, v in parse_qs(raw).items()}
            status, body = fake._answer(method, params)
            self._reply(status, json.dumps(body).encode())

    return Handler
