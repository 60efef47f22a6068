"""App-wide error answers: short 422s, and no 500 for numbers or dates out of range.

* Validation errors (422) keep FastAPI's shape, but the rejected ``input`` is cut to
  :data:`MAX_ECHO_CHARS` characters: a comment of megabytes is not sent back whole, and
  an input JSON cannot express (a non-finite float) is sent back as text.
* Out-of-range values are refused where they come in (query bounds, :mod:`.guards`).
  A value that still overflows Python's date arithmetic or SQLite (``OverflowError``) or
  does not fit a PostgreSQL column (``DataError``) answers 422 with a Swedish reason
  instead of 500; it is logged with its traceback, since a route missed a bound.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

__all__ = [
    "MAX_ECHO_CHARS",
    "OUT_OF_RANGE_DETAIL",
    "install_error_handlers",
    "short_errors",
    "short_input",
]

logger = logging.getLogger(__name__)

#: The most characters of a rejected input an error answer repeats.
MAX_ECHO_CHARS = 200
OUT_OF_RANGE_DETAIL = (
    "Ett tal, datum eller en text i anropet ligger utanför det tillåtna intervallet."
)
_CUT = "…"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_ECHO_CHARS else text[:MAX_ECHO_CHARS] + _CUT


def short_input(value: Any) -> Any:
    """``value`` as an error answer may repeat it: short, and always valid JSON."""
    if value is None or isinstance(value, bool | str):
        return _cut(value) if isinstance(value, str) else value
    if isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # more digits than Python converts
            return _CUT
        return value if len(text) <= MAX_ECHO_CHARS else _cut(text)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    try:
        encoded = jsonable_encoder(value)
        text = json.dumps(encoded, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        try:
            return _cut(repr(value))
        except ValueError:
            return _CUT
    return encoded if len(text) <= MAX_ECHO_CHARS else _cut(text)


def short_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors with every ``input`` and context value cut short."""
    short = []
    for error in errors:
        item = dict(error)
        if "input" in item:
            item["input"] = short_input(item["input"])
        if isinstance(item.get("ctx"), dict):
            item["ctx"] = {key: short_input(v) for key, v in item["ctx"].items()}
        short.append(item)
    return short


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        status_code=422, content={"detail": jsonable_encoder(short_errors(exc.errors()))}
    )


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    logger.warning(
        "%s %s: a value out of range reached %s", request.method, request.url.path,
        type(exc).__name__, exc_info=exc,
    )  # fmt: skip
    return JSONResponse(status_code=422, content={"detail": OUT_OF_RANGE_DETAIL})


def install_error_handlers(app: FastAPI) -> None:
    """Register the desk's error answers on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
