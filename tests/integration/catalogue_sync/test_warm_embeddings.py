"""A sync embeds the catalogue before it writes the files the Rasa process watches."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalogue_sync import SyncOptions, run_sync
from catalogue_sync.nlu_export import BORROWED_NLU
from nlu.embeddings import Embedder, ServiceVectors
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR
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


def test_a_new_catalogue_borrows_requests_for_the_classifier(
    db_url: str, nlu_dir: Path, tmp_path: Path
) -> None:
    # A catalogue synced without example requests: with --embed the sync writes the
    # requests its services borrow from other catalogues as the classifier's training data.
    with (Path("tests/eval/other46/katalog.csv")).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    source = tmp_path / "new.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    options = SyncOptions(
        str(source), database_url=db_url, nlu_dir=nlu_dir, embeddings_cache=DEFAULT_CACHE_DIR
    )
    assert run_sync(options).exit_code == 0
    borrowed = nlu_dir / BORROWED_NLU
    data = yaml.safe_load(borrowed.read_text("utf-8"))
    (block,) = data["nlu"]
    examples = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    assert block["intent"] == "request_service" and len(examples) >= 100
    # the cleaning service borrows how staff report cleaning that was not done
    assert any("städ" in e for e in examples)
    # ... and a sync of a catalogue whose services have their own requests removes it
    again = SyncOptions(
        str(_two_services(tmp_path / "two.csv")),
        database_url=db_url,
        nlu_dir=nlu_dir,
        embeddings_cache=DEFAULT_CACHE_DIR,
        allow_retire=True,
    )
    assert run_sync(again).exit_code == 0
    assert not borrowed.exists()
