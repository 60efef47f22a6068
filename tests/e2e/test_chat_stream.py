"""Server push to the web chat: the desk's messages arrive as server-sent events.

Against the running desk (real Rasa, action server and database): an agent's reply
reaches the person's open event stream as it is sent, each event carries the message id,
and a stream reopened with ``Last-Event-ID`` (what a browser's EventSource sends when it
reconnects) gets what came after, and nothing twice.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import uuid
from typing import Any

import httpx
import pytest

from tests.support.processes import wait_for
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


class Stream:
    """One open event stream of a web chat person, read in a thread."""

    def __init__(self, stack: Stack, name: str, **headers: str) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.opened = threading.Event()
        self._stop = threading.Event()
        self._client = httpx.Client(
            base_url=stack.desk_url, cookies=stack.visitor(name).http.cookies
        )
        self._thread = threading.Thread(target=self._read, args=(headers,), daemon=True)
        self._thread.start()

    def _read(self, headers: dict[str, str]) -> None:
        try:
            self._read_events(headers)
        except (httpx.HTTPError, OSError):
            if not self._stop.is_set():  # closed by the test: the end, not an error
                raise

    def _read_events(self, headers: dict[str, str]) -> None:
        timeout = httpx.Timeout(30, read=60)
        with self._client.stream(
            "GET", "/api/chat/stream", params={"after": 0}, headers=headers, timeout=timeout
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            self.opened.set()
            event: dict[str, Any] = {}
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
                elif line == "" and "data" in event:
                    self.events.put(event)
                    event = {}

    def next_event(self, timeout: float = 60) -> dict[str, Any]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self._stop.set()
        self._client.close()


def _send_as_agent(stack: Stack, number: str, text: str) -> int:
    response = httpx.post(
        f"{stack.desk_url}/api/tickets/{number}/messages",
        json={"text": text},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_the_desks_messages_are_pushed_and_a_reconnect_loses_and_repeats_nothing(
    stack: Stack,
) -> None:
    name = f"stream-{uuid.uuid4().hex[:8]}"
    stack.chat_through_fields(name, "fika till 6 personer på fredag kl 14")
    stack.chat_through_fields(name, "kommunhuset rum 101")
    done = " ".join(m.get("text", "") for m in stack.chat_through_fields(name, "ja"))
    number = NUMBER.search(done)
    assert number, done
    first = Stream(stack, name)
    try:
        assert first.opened.wait(60)
        sent = _send_as_agent(stack, number.group(0), "Hej! Vi har fått din beställning.")
        event = first.next_event()
        while event["id"] != sent:  # earlier desk notices for this person come first
            event = first.next_event()
        assert event["data"]["text"] == "Hej! Vi har fått din beställning."
        assert event["data"]["author"] == "agent"
    finally:
        first.close()
    # Sent while no stream is open: the reconnect with the last seen id brings it, only it.
    later = _send_as_agent(stack, number.group(0), "Fikat levereras kl 13.45.")
    again = Stream(stack, name, **{"Last-Event-ID": str(sent)})
    try:
        assert again.opened.wait(60)
        event = again.next_event()
        assert (event["id"], event["data"]["text"]) == (later, "Fikat levereras kl 13.45.")
        newest = _send_as_agent(stack, number.group(0), "Tack för beställningen!")
        wait_for(lambda: not again.events.empty(), 60, "the pushed message")
        assert again.next_event()["id"] == newest
    finally:
        again.close()
