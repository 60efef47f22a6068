"""Schemathesis over the running desk's OpenAPI schema: no generated request is a 5xx.

The desk process of the end-to-end stack (real Rasa, action server and database) is
called over HTTP with requests that schemathesis draws from ``/openapi.json``, both
valid ones and ones that break the schema, authenticated as an admin. Bounded: a few
examples per operation (``SCHEMATHESIS_EXAMPLES``), no shrinking, no example database, so
it runs in about a minute on two cores; the draw is derandomized, so a failure replays,
and the message names the request that caused it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
#: Operations whose documented answer includes 503 (Rasa not reachable).
DOCUMENTED_503 = {"/api/chat", "/api/chat/restart", "/api/chat/history"}


def test_no_operation_answers_a_server_error(stack: Stack) -> None:
    schema = schemathesis.openapi.from_url(f"{stack.desk_url}/openapi.json", timeout=30)
    auth = {"Authorization": f"Bearer {stack.admin_token}"}
    failures: list[str] = []
    statuses: list[int] = []
    # The event stream stays open for minutes by design (tests/e2e/test_chat_stream.py).
    operations = [
        op for op in (result.ok() for result in schema.get_all_operations())
        if op.path != "/api/chat/stream"
    ]  # fmt: skip
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                response = case.call(base_url=stack.desk_url, headers=auth, timeout=60)
                statuses.append(response.status_code)
                documented = case.operation.path in DOCUMENTED_503
                allowed = response.status_code == 503 and documented
                if response.status_code >= 500 and not allowed:
                    failures.append(
                        f"{response.status_code} for {case.method} {case.formatted_path} "
                        f"query={case.query!r} body={str(case.body)[:200]!r}: "
                        f"{response.text[:200]!r}"
                    )

            try:
                call()
            except Unsatisfiable:
                # Nothing to break: an operation without parameters or body has no
                # schema-violating request (NEGATIVE mode).
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, "\n".join(failures[:20])
    # Every operation was called, and the desk both accepted and refused what it got.
    assert len(statuses) >= 2 * len(operations)
    assert any(code < 300 for code in statuses) and any(400 <= code < 500 for code in statuses)
