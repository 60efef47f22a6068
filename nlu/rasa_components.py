"""The interpretation step inside Rasa's NLU pipeline (runs in the Rasa environment).

Placed after the intent classifier and Rasa's FallbackClassifier, it sets the message's
``intent`` to what :class:`nlu.interpret.Interpreter` decides, so the dialogue rules
route by the combined reading (a strong catalogue match is never answered "out of
scope"; out of scope needs the classifier and the catalogue to agree). The classifier's
own ``intent_ranking`` is left as it was, and the whole reading (ranked services,
outcome, confidence) travels in the parse data under ``envagin_interpretation``: the
actions take it from there instead of computing it again (one sentence embedding per
turn, not two).

The catalogue is the ``catalogue.json`` that ``catalogue_sync`` writes; it is re-read
when the file changes, so a synced catalogue needs no retraining of this step.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from nlu.evaluate import build_interpreter
from nlu.interpret import RECORD_KEY, Interpreter, left_out

logger = logging.getLogger(__name__)
_RECHECK_SECONDS = 10.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InterpretationStep(GraphComponent):
    """Decide the intent from the classifier, the catalogue matcher and the embeddings."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"catalogue": "nlu/data/generated/catalogue.json"}

    def __init__(self, config: dict[str, Any]) -> None:
        # ENVAGIN_CATALOGUE_JSON points at another synced catalogue (make eval, tests).
        configured = config.get("catalogue") or self.get_default_config()["catalogue"]
        self._path = Path(os.environ.get("ENVAGIN_CATALOGUE_JSON") or configured)
        self._lock = threading.Lock()
        self._interpreter: Interpreter | None = None
        self._mtime = -1.0
        self._checked = 0.0

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InterpretationStep:
        step = cls(config)
        # Build the interpreter (catalogue, embeddings) now, not on the first person's turn.
        step._current()
        return step

    def _current(self) -> Interpreter | None:
        now = time.monotonic()
        with self._lock:
            if self._interpreter is not None and now - self._checked < _RECHECK_SECONDS:
                return self._interpreter
            self._checked = now
            try:
                mtime = self._path.stat().st_mtime
            except OSError:
                logger.warning("no catalogue at %s: intents are the classifier's", self._path)
                return self._interpreter
            if mtime != self._mtime:
                # A tuning catalogue evaluated leaves its own requests out of the lending
                # corpus (``make eval``: nlu.evaluate sets the variable before loading).
                self._interpreter = build_interpreter(self._path, lend_exclude=left_out())
                self._mtime = mtime
            return self._interpreter

    def process(self, messages: list[Message]) -> list[Message]:
        interpreter = self._current()
        if interpreter is None:
            return messages
        for message in messages:
            text = message.get("text") or ""
            if not text or text.startswith("/"):
                continue  # a button payload names its intent itself
            parse = {
                "intent": message.get("intent") or {},
                "intent_ranking": message.get("intent_ranking") or [],
            }
            result = interpreter.interpret(text, parse)
            message.set(
                "intent",
                {"name": result.intent, "confidence": float(result.confidence)},
                add_to_output=True,
            )
            # The whole reading travels with the parse, so the actions need not redo it.
            message.set(RECORD_KEY, result.to_record(text), add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
