"""The whole stack, started once for the end-to-end tests and stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.stack import Stack, start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Start actions, Rasa and the desk against a fresh SQLite database."""
    running = start_stack(Path(tmp_path_factory.mktemp("stack")))
    try:
        yield running
    finally:
        running.stop()
