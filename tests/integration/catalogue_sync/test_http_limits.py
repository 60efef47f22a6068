"""Downloads end: a server that trickles a byte every 5 s (never tripping the per-read
timeout) is cut off at the total deadline, and an endless or oversized body at the size
limit. Real HTTP servers on 127.0.0.1; each call runs with a deadline of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import Result

from catalogue_sync import CatalogueError
from catalogue_sync.sources import SourceLimits, read_source
from tests.integration.catalogue_sync.conftest import SERVICES_CSV
from tests.support.deadline import finishes
from tests.support.http_server import serve_http

Cli = Callable[..., Result]
T = TypeVar("T")
BODY = SERVICES_CSV.read_bytes()
TRICKLE_SECONDS = 5.0


class _Handler(BaseHTTPRequestHandler):
    """``/trickle-body``, ``/trickle-headers``, ``/endless``, ``/declared-huge``, ``/ok``."""

    server: _Server

    def do_GET(self) -> None:
        try:
            if self.path == "/trickle-headers":
                self._trickle(b"HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\n\r\n" + BODY)
                return
            if self.path == "/ok":
                self._headers(len(BODY))
                self.wfile.write(BODY)
            elif self.path == "/trickle-body":
                self._headers(len(BODY))
                self._trickle(BODY)
            elif self.path == "/endless":
                self._headers(None)  # HTTP/1.0 without a length: the body ends at close
                row = BODY.splitlines(keepends=True)[1]
                while not self.server.stop.is_set():
                    self.wfile.write(row * 256)
            elif self.path == "/declared-huge":
                self._headers(50_000_000)
                self.wfile.write(BODY[:100])
                self.wfile.flush()
                self.server.stop.wait()
        except OSError:
            pass  # the client hung up, as it should

    def _headers(self, length: int | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()

    def _trickle(self, data: bytes) -> None:
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            if self.server.stop.wait(TRICKLE_SECONDS):
                return

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    stop: threading.Event


@pytest.fixture
def slow_server() -> Iterator[str]:
    """Yield the base URL; the handlers stop trickling when the test ends."""
    stop = threading.Event()
    with serve_http(_Handler, stop=stop) as server:
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            stop.set()


def ends(work: Callable[[], T], deadline: float = 60.0) -> T:
    """Run ``work``; fail if it has not ended by ``deadline`` seconds."""
    return finishes(work, deadline, "the download")


def refusal(url: str, limits: SourceLimits) -> str:
    def fetch() -> str:
        with pytest.raises(CatalogueError) as info:
            read_source(url, timeout=10.0, limits=limits)
        return str(info.value)

    return ends(fetch)


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-headers"])
def test_a_trickling_server_is_cut_off_at_the_total_deadline(slow_server: str, path: str) -> None:
    # A byte every 5 s never trips the 10 s read timeout: only the total deadline ends it.
    message = refusal(slow_server + path, SourceLimits(deadline=1.0))
    assert message == (
        f"cannot fetch {slow_server}{path}: the download did not finish within 1 s "
        "(SERVICEDESK_CATALOGUE_DOWNLOAD_DEADLINE_SECONDS or --download-deadline); "
        "nothing written"
    )


def test_the_command_line_takes_the_deadline_from_the_flag_and_the_setting(
    cli: Cli, slow_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.settings import get_settings

    result = ends(lambda: cli(f"{slow_server}/trickle-body", "--download-deadline", "1"))
    assert result.exit_code == 1
    assert "the download did not finish within 1 s" in " ".join(result.output.split())
    monkeypatch.setenv("SERVICEDESK_CATALOGUE_DOWNLOAD_DEADLINE_SECONDS", "0.5")
    get_settings.cache_clear()
    try:
        result = ends(lambda: cli(f"{slow_server}/trickle-body"))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "the download did not finish within 0.5 s" in " ".join(result.output.split())


def test_an_endless_body_is_cut_off_at_the_size_limit(slow_server: str) -> None:
    message = refusal(f"{slow_server}/endless", SourceLimits(deadline=600))
    assert message == (
        f"cannot fetch {slow_server}/endless: it is larger than the maximum of "
        "20,000,000 bytes (20 MB) (SERVICEDESK_CATALOGUE_MAX_DOWNLOAD_BYTES); nothing written"
    )


def test_a_declared_length_over_the_limit_is_refused_before_the_body(slow_server: str) -> None:
    # The server never sends the rest: only reading Content-Length can end this quickly
    # with this message (reading on would end in a read timeout instead).
    message = refusal(f"{slow_server}/declared-huge", SourceLimits(deadline=600))
    assert message.endswith("(Content-Length: 50,000,000)")
    assert "larger than the maximum of 20,000,000 bytes" in message


def test_a_download_within_the_limits_is_read(slow_server: str) -> None:
    source = ends(
        lambda: read_source(f"{slow_server}/ok", limits=SourceLimits(max_bytes=len(BODY)))
    )
    assert source.format == "csv" and source.text.startswith("code,kind,category")
    too_small = refusal(f"{slow_server}/ok", SourceLimits(max_bytes=len(BODY) - 1))
    assert f"larger than the maximum of {len(BODY) - 1:,} bytes" in too_small


def test_existing_sources_still_work(cli: Cli, http_root: tuple[Path, str]) -> None:
    root, base = http_root
    (root / "katalog.csv").write_bytes(BODY)
    assert ends(lambda: cli(f"{base}/katalog.csv")).exit_code == 0
