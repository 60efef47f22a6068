"""Fixtures for the servicedesk unit tests (no database, no processes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture
def now() -> datetime:
    """A fixed, timezone-aware moment."""
    return datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
