"""A sync embeds the catalogue before it writes the files the Rasa process watches."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from catalogue_sync import SyncOptions, run_sync
from nlu.embeddings import Embedder, ServiceVectors
from nlu.matcher import ServiceDoc
from tests.integration.catalogue_sync.conftest import SERVICES_CSV


class _NoModel(Embedder):
    """An embedder that may only read its cache."""

    def _model(self) -> Any:  # type: ignore[override]
        raise AssertionError("the catalogue was embedded again")


def _two_services(path: Path) -> Path:
    with SERVICES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:2]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_after_a_sync_the_catalogue_vectors_come_from_the_cache(
    db_url: str, nlu_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    source = _two_services(tmp_path / "two.csv")
    options = SyncOptions(str(source), database_url=db_url, nlu_dir=nlu_dir, embeddings_cache=cache)
    report = run_sync(options)
    assert report.exit_code == 0 and report.embeddings_seconds is not None
    written = json.loads((nlu_dir / "catalogue.json").read_text("utf-8"))
    docs = [ServiceDoc.from_dict(d) for d in written]
    vectors = ServiceVectors.build(docs, _NoModel(cache))
    assert vectors.codes == ("LOK-01", "LOK-02")


def test_without_embeddings_the_sync_embeds_nothing(
    db_url: str, nlu_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVAGIN_EMBEDDINGS", "off")
    cache = tmp_path / "cache"
    source = _two_services(tmp_path / "two.csv")
    options = SyncOptions(str(source), database_url=db_url, nlu_dir=nlu_dir, embeddings_cache=cache)
    report = run_sync(options)
    assert report.exit_code == 0 and report.embeddings_seconds is None
    assert not cache.exists()
