"""Rasa side of the benchmark: load and split NLU data, train and parse (private).

Only the Rasa environment can import this module's functions' dependencies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def load_examples(data_dir: Path) -> tuple[Any, list[tuple[str, str]]]:
    """Rasa ``TrainingData`` of a folder and its intent examples as (text, intent)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    files = sorted(data_dir.rglob("*.yml"))
    data = TrainingData().merge(*(load_data(str(f)) for f in files))
    examples = [(str(m.get("text")), str(m.get("intent"))) for m in data.intent_examples]
    return data, examples


def subset(data: Any, keep: Sequence[int]) -> Any:
    """The same training data with only the intent examples at ``keep``."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData(
        training_examples=[data.intent_examples[i] for i in keep],
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
    )


def default_config(workdir: Path) -> Path:
    """Rasa 3.6's own default config (what an empty ``rasa init`` pipeline means), for Swedish."""
    import rasa

    source = Path(rasa.__file__).parent / "engine/recipes/config_files/default_config.yml"
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "rasa_default_config.yml"
    path.write_text(source.read_text("utf-8").replace("language: en", "language: sv"), "utf-8")
    return path


def train(config: Path, data: Path, workdir: Path) -> tuple[Callable[[str], str], float]:
    """Train an NLU model; a function text -> intent name, and the training seconds."""
    import structlog
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.utils.common import configure_logging_and_warnings

    # Rasa reuses trained components from its cache (.rasa/cache) when config and data
    # match an earlier `rasa train`; that would time a cache lookup, not training.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    configure_logging_and_warnings(logging.ERROR)
    # Rasa logs every parsed message at debug level through structlog.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    workdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    model = train_nlu(str(config), str(data), str(workdir), fixed_model_name="nlu")
    seconds = time.perf_counter() - start
    if model is None:
        raise SystemExit(f"training with {config} failed")
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()

    def parse(text: str) -> str:
        result = loop.run_until_complete(agent.parse_message(text))
        return str(result["intent"]["name"])

    return parse, seconds
