"""Embed a synced catalogue before anyone asks, so no person's turn pays for it.

The Rasa process (its interpretation step reads ``catalogue.json``) and the action server
(it reads the database) each build the catalogue's sentence embeddings when they see a
new catalogue, inside a person's turn, and the embedding cache is keyed by the whole list
of texts: measured by ``make bench-growth``, 34 s for the default 41 services on a cold
cache, about ten minutes for 500. The sync fills that cache first, from the
``catalogue.json`` it is about to write (the services sorted by code, as both processes
read them), so both find the vectors ready.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from nlu import embeddings
from nlu.interpret import (
    borrowed_requests,
    lending_services,
    lending_texts,
    reference_examples,
)
from nlu.matcher import ServiceDoc
from nlu.training import DEFAULT_CACHE_DIR

__all__ = ["borrowed_for_training", "warm_embeddings"]


def warm_embeddings(catalogue_json: str, cache_dir: Path = DEFAULT_CACHE_DIR) -> float | None:
    """Embed the services of ``catalogue_json`` (its text) into the cache at ``cache_dir``.

    Returns the seconds it took, or None when embeddings are switched off.
    """
    if not embeddings.enabled():
        return None
    began = time.perf_counter()
    docs = [ServiceDoc.from_dict(d) for d in json.loads(catalogue_json)]
    embedder = embeddings.Embedder(cache_dir)
    embeddings.ServiceVectors.build(docs, embedder)
    # The reference catalogue's example requests, which the semantic intent head of a
    # catalogue learns from when it lacks them (nlu.interpret.reference_examples).
    lent, missing = reference_examples(e for d in docs for e in d.examples)
    if missing:
        embedder.queries(lent, cache=True)
    if any(not d.examples for d in docs):
        # What its services without examples may borrow from other catalogues (the
        # passages to compare and the requests of every source, each one list, as
        # nlu.interpret.lending_vectors asks whatever an evaluation leaves out).
        passages, requests = lending_texts(lending_services())
        embedder.passages(passages)
        embedder.queries(requests, cache=True)
    return time.perf_counter() - began


def borrowed_for_training(
    catalogue_json: str, cache_dir: Path = DEFAULT_CACHE_DIR
) -> dict[str, list[str]]:
    """The requests the services of ``catalogue_json`` without their own borrow from other
    catalogues (code → requests; :func:`nlu.interpret.borrowed_requests`), for the
    classifier's training data; empty when embeddings are switched off or nothing lends."""
    if not embeddings.enabled():
        return {}
    docs = [ServiceDoc.from_dict(d) for d in json.loads(catalogue_json)]
    if all(d.examples for d in docs):
        return {}
    return borrowed_requests(docs, embeddings.Embedder(cache_dir))
