"""Run a piece of work with a deadline, so that a hang fails the test instead of stalling it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def finishes(work: Callable[[], T], deadline: float, what: str = "the work") -> T:
    """Run ``work`` in a thread and return its result (or raise its error); fail if it has
    not ended by ``deadline`` seconds."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(deadline)
    assert not thread.is_alive(), f"{what} was still running after {deadline} s"
    if failure:
        raise failure[0]
    return outcome[0]
