"""Fetch a catalogue source (a local file or an http(s) URL) as text with its format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import httpx

from catalogue_sync.errors import CatalogueError

Format = Literal["csv", "json"]

_EXTENSIONS: dict[str, Format] = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".json": "json"}


@dataclass(frozen=True)
class SourceText:
    """The decoded content of a source, its format and a label for messages."""

    text: str
    format: Format
    origin: str


def is_url(source: str) -> bool:
    """Return True when ``source`` is an http(s) URL rather than a path."""
    return urlparse(source).scheme in ("http", "https")


def read_source(source: str | Path, *, timeout: float = 10.0) -> SourceText:
    """Read ``source`` and decide its format.

    Files: the extension decides, otherwise the content. URLs: the content type decides,
    then the extension of the URL path, then the content.

    Raises:
        CatalogueError: The source cannot be read or is not UTF-8.
    """
    if isinstance(source, str) and is_url(source):
        return _read_url(source, timeout)
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = _decode(raw, "utf-8", str(path))
    return SourceText(text, _EXTENSIONS.get(path.suffix.lower()) or _sniff(text), str(path))


def _read_url(url: str, timeout: float) -> SourceText:
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        raise CatalogueError(f"cannot fetch {url}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise CatalogueError(f"cannot fetch {url}: {exc}") from exc
    text = _decode(response.content, response.charset_encoding or "utf-8", url)
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt: Format | None = None
    if "json" in content_type:
        fmt = "json"
    elif "csv" in content_type:
        fmt = "csv"
    suffix = Path(urlparse(url).path).suffix.lower()
    return SourceText(text, fmt or _EXTENSIONS.get(suffix) or _sniff(text), url)


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
