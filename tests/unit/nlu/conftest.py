"""Fixtures for the Swedish NLU tests: catalogues built from CSV in the test."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nlu.matcher import CatalogueMatcher, ServiceDoc

HERE = Path(__file__).parent
SHARED = Path(__file__).resolve().parents[4] / "shared" / "catalogue" / "tjanstekatalog.csv"
REPO_COPY = Path(__file__).resolve().parents[3] / "data" / "tjanstekatalog.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def default_services() -> list[ServiceDoc]:
    path = REPO_COPY if REPO_COPY.exists() else SHARED
    return [ServiceDoc.from_dict(r) for r in _rows(path)]


@pytest.fixture(scope="session")
def matcher(default_services: list[ServiceDoc]) -> CatalogueMatcher:
    return CatalogueMatcher(default_services)


@pytest.fixture(scope="session")
def other_matcher() -> CatalogueMatcher:
    return CatalogueMatcher([ServiceDoc.from_dict(r) for r in _rows(HERE / "other_catalogue.csv")])


@pytest.fixture
def now() -> datetime:
    """Wednesday 18 March 2026, 09:00 in Stockholm."""
    return datetime(2026, 3, 18, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
