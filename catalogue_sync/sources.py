"""Fetch a catalogue source (a local file or an http(s) URL) as text with its format.

A source is read whole into memory, so its size is bounded (``SourceLimits.max_bytes``),
and a download has a total deadline (``SourceLimits.deadline``) besides the per-read
timeout: a server that sends one byte every few seconds never trips a per-read timeout,
but it cannot keep the sync waiting for longer than the deadline.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import httpx

from catalogue_sync.errors import CatalogueError

Format = Literal["csv", "json"]

_EXTENSIONS: dict[str, Format] = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".json": "json"}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SourceLimits:
    """Bounds on reading a source.

    ``deadline``: seconds the whole download of a URL may take (connect, headers and body).
    ``max_bytes``: the largest source accepted (a URL's body after decompression, a file).
    """

    deadline: float = 60.0
    max_bytes: int = 20_000_000

    def __post_init__(self) -> None:
        if not self.deadline > 0:
            raise CatalogueError(f"the download deadline must be positive, got {self.deadline}")
        if self.max_bytes < 1:
            raise CatalogueError(f"the maximum source size must be positive, got {self.max_bytes}")


@dataclass(frozen=True)
class SourceText:
    """The decoded content of a source, its format and a label for messages."""

    text: str
    format: Format
    origin: str


def is_url(source: str) -> bool:
    """Return True when ``source`` is an http(s) URL rather than a path."""
    return urlparse(source).scheme in ("http", "https")


def describe_size(size: int) -> str:
    """Return a byte count as people read it: ``20,000,000 bytes (20 MB)``."""
    return f"{size:,} bytes ({size / 1_000_000:.3g} MB)"


def read_source(
    source: str | Path, *, timeout: float = 10.0, limits: SourceLimits | None = None
) -> SourceText:
    """Read ``source`` and decide its format.

    Files: the extension decides, otherwise the content. URLs: the content type decides,
    then the extension of the URL path, then the content. ``timeout`` bounds each connect
    and read of a URL, ``limits`` the whole download and the size.

    Raises:
        CatalogueError: The source cannot be read, is too large, takes too long to
            download, or is not UTF-8.
    """
    limits = limits or SourceLimits()
    if isinstance(source, str) and is_url(source):
        return _read_url(source, timeout, limits)
    path = Path(source)
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > limits.max_bytes:
        raise CatalogueError(
            f"{path} is larger than the maximum of {describe_size(limits.max_bytes)} "
            "(SERVICEDESK_CATALOGUE_MAX_DOWNLOAD_BYTES); nothing written"
        )
    text = _decode(raw, "utf-8", str(path))
    return SourceText(text, _EXTENSIONS.get(path.suffix.lower()) or _sniff(text), str(path))


@dataclass(frozen=True)
class _Download:
    body: bytes
    charset: str | None
    content_type: str


def _read_url(url: str, timeout: float, limits: SourceLimits) -> SourceText:
    try:
        download = asyncio.run(asyncio.wait_for(_download(url, timeout, limits), limits.deadline))
    except asyncio.TimeoutError:  # the builtin TimeoutError from Python 3.11 on
        raise CatalogueError(
            f"cannot fetch {url}: the download did not finish within {limits.deadline:g} s "
            "(SERVICEDESK_CATALOGUE_DOWNLOAD_DEADLINE_SECONDS or --download-deadline); "
            "nothing written"
        ) from None
    text = _decode(download.body, download.charset or "utf-8", url)
    fmt: Format | None = None
    if "json" in download.content_type:
        fmt = "json"
    elif "csv" in download.content_type:
        fmt = "csv"
    suffix = Path(urlparse(url).path).suffix.lower()
    return SourceText(text, fmt or _EXTENSIONS.get(suffix) or _sniff(text), url)


async def _download(url: str, timeout: float, limits: SourceLimits) -> _Download:
    """Stream the body of ``url``, refusing it as soon as it is known to be too large."""
    too_large = (
        f"cannot fetch {url}: it is larger than the maximum of "
        f"{describe_size(limits.max_bytes)} (SERVICEDESK_CATALOGUE_MAX_DOWNLOAD_BYTES); "
        "nothing written"
    )
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise CatalogueError(f"{too_large} (Content-Length: {int(declared):,})")
            body = bytearray()
            # Decoded bytes are counted, so a small compressed body cannot expand unbounded.
            async for chunk in response.aiter_bytes(_CHUNK):
                body += chunk
                if len(body) > limits.max_bytes:
                    raise CatalogueError(too_large)
            content_type = response.headers.get("content-type", "").split(";")[0]
            return _Download(bytes(body), response.charset_encoding, content_type.strip().lower())
    except httpx.HTTPStatusError as exc:
        raise CatalogueError(f"cannot fetch {url}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise CatalogueError(f"cannot fetch {url}: {exc}") from exc


def _decode(raw: bytes, encoding: str, origin: str) -> str:
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # tolerate the BOM spreadsheet programs write
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise CatalogueError(
            f"{origin} is not valid {encoding.removesuffix('-sig')} text ({exc}); save it as UTF-8"
        ) from exc


def _sniff(text: str) -> Format:
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"
