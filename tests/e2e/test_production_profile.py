"""The production profile: PostgreSQL for tickets and Rasa's tracker store, Redis lock store."""

from __future__ import annotations

import re
import uuid

import httpx
import psycopg
import pytest

from tests.support.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_order_on_postgres_and_redis_keeps_the_conversation_in_the_tracker_store(
    pg_stack: Stack,
) -> None:
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    pg_stack.chat_through_fields(sender, "fika till 10 personer på torsdag kl 14")
    pg_stack.chat_through_fields(sender, "Rådhuset rum 2")
    reply = " ".join(m.get("text", "") for m in pg_stack.chat_through_fields(sender, "ja"))
    number = re.search(r"SD-\d{4}-\d{5}", reply)
    assert number, reply
    detail = pg_stack.api(f"/api/tickets/{number.group(0)}").json()
    assert detail["service_code"] == "KNF-02"
    tracker_db = pg_stack.env["RASA_TRACKER_DB_NAME"]
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={tracker_db}") as conn:
        stored = conn.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s", (f"web:{pg_stack.web_id(sender)}",)
        ).fetchone()
    assert stored is not None and stored[0] > 5


def test_health_checks_the_tracker_store_and_the_redis_lock_store(pg_stack: Stack) -> None:
    response = httpx.get(f"{pg_stack.desk_url}/health", timeout=30)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok", "rasa": "ok", "action_server": "ok", "rasa_nlu": "ok",
            "rasa_core": "ok", "tracker_store": "ok", "lock_store": "ok",
        },
    }  # fmt: skip
