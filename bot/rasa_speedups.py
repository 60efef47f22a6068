"""Rasa 3.6 checks every custom action's reply against a JSON schema, and pays for it.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on every reply,
which first validates the (large, constant) schema itself against the JSON Schema
meta-schema and builds a new validator: profiled over ordering turns, that was 64 % of
the Rasa process's busy time. :func:`install` replaces it with a check of equal strength:
the same schema and the same validator class, checked once and compiled once, and the
same error (the best match, with Rasa's explanation appended) for a reply that fails.

Loaded by the Rasa process (imported by :mod:`bot.rasa_channel`, which Rasa loads at
start), so it survives ``make setup`` on a fresh machine: nothing in the environment is
edited.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)
_installed = False


def compiled_validator() -> Any:
    """The validator of Rasa's action reply schema, with the schema checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def install() -> None:
    """Replace ``RemoteAction._validate_action_result`` (idempotent)."""
    global _installed
    if _installed:
        return
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validator = compiled_validator()

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result
    _installed = True
    logger.debug("action replies are validated with a compiled validator")
