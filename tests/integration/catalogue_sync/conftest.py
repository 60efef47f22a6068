"""Fixtures for catalogue_sync integration tests: a migrated SQLite file, the CLI, HTTP."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from catalogue_sync.cli import app
from servicedesk.db import make_engine
from tests.support.http_server import serve_http

CATALOGUE_DIR = Path(__file__).resolve().parents[3] / "data"
SERVICES_CSV = CATALOGUE_DIR / "tjanstekatalog.csv"
DEPARTMENTS_CSV = CATALOGUE_DIR / "forvaltningar.csv"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite file; the sync itself migrates it."""
    return f"sqlite:///{tmp_path / 'catalogue.db'}"


@pytest.fixture
def session(db_url: str) -> Iterator[Callable[[], Session]]:
    """Yield a factory of sessions on the test database, disposing the engine afterwards."""
    engine = make_engine(db_url)
    yield lambda: Session(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def nlu_dir(tmp_path: Path) -> Path:
    """Return where the generated NLU files go in this test."""
    return tmp_path / "generated"


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """Return an editable copy of the default catalogue."""
    return Path(shutil.copy(SERVICES_CSV, tmp_path / "tjanstekatalog.csv"))


@pytest.fixture
def cli(db_url: str, nlu_dir: Path) -> Callable[..., Result]:
    """Return a helper running ``python -m catalogue_sync`` in-process on the test DB."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        argv = [str(a) for a in args] + ["--database-url", db_url, "--nlu-dir", str(nlu_dir)]
        return runner.invoke(app, argv, catch_exceptions=False)

    return invoke


class _QuietHandler(SimpleHTTPRequestHandler):
    # Per-instance on the base class; a class-level copy is how the stdlib docs extend it.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".csv": "text/csv"}  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """Serve a directory over real HTTP on 127.0.0.1 and a free port; yield (dir, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    with serve_http(handler) as server:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
