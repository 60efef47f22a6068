"""Health check of the desk and the parts a person's turn needs.

Always: the desk's database, Rasa (that it answers, that its NLU pipeline interprets a
probe message, and that its dialogue core predicts the next action of a probe conversation
read from and saved to its tracker store) and the action server. When configured
(``SERVICEDESK_TRACKER_STORE_URL``, ``SERVICEDESK_LOCK_STORE_URL``): Rasa's tracker store
and its Redis lock store, checked directly, because Rasa itself answers as if all were
well when they are down (it falls back to an in-memory tracker, and swallows lock errors).
Every check is one cheap round trip with a short deadline, and they run side by side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import httpx
import redis.asyncio as aioredis
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import HealthReport

router = APIRouter(tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0
#: One engine per tracker store URL for the life of the process (a pool of one connection).
_tracker_engines: dict[str, Engine] = {}


def _error(exc: BaseException) -> str:
    return f"error: {type(exc).__name__}"  # its kind only: messages may hold addresses


def _check_database(factory: sessionmaker[Session]) -> str:
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ok"
        return _error(exc)
    return "ok"


def _tracker_engine(url: str) -> Engine:
    engine = _tracker_engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            engine = create_engine(url)
        else:
            timeout = int(CHECK_TIMEOUT_SECONDS)
            connect_args = {"connect_timeout": timeout} if url.startswith("postgresql") else {}
            engine = create_engine(
                url, pool_size=1, max_overflow=1, pool_timeout=timeout, pool_pre_ping=True,
                connect_args=connect_args,
            )  # fmt: skip
        _tracker_engines[url] = engine
    return engine


def _check_tracker_store(url: str) -> str:
    try:
        with _tracker_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ok"
        return _error(exc)
    return "ok"


async def _check_lock_store(url: str) -> str:
    client = aioredis.Redis.from_url(
        url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        await client.ping()
    except Exception as exc:  # any failure means "not ok"
        return _error(exc)
    finally:
        await client.aclose()
    return "ok"


async def _check_http(client: httpx.AsyncClient, url: str) -> str:
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok" if response.is_success else f"error: HTTP {response.status_code}"


#: A probe message Rasa's NLU pipeline must interpret (classifier and interpretation step).
PROBE_TEXT = "hej"
#: Interpreting takes real work (sentence embeddings): a busy machine gets more time.
PROBE_TIMEOUT_SECONDS = 10.0


async def _check_parse(client: httpx.AsyncClient, rasa_url: str, token: str) -> str:
    """Rasa interprets a message: its model is loaded and its NLU pipeline runs end to end
    (the classifier and the interpretation step with its catalogue and embeddings)."""
    try:
        response = await client.post(
            f"{rasa_url.rstrip('/')}/model/parse", params={"token": token},
            json={"text": PROBE_TEXT}, timeout=PROBE_TIMEOUT_SECONDS,
        )  # fmt: skip
    except httpx.HTTPError as exc:
        return f"unreachable: {type(exc).__name__}"
    if not response.is_success:
        return f"error: HTTP {response.status_code}"
    try:
        intent = (response.json().get("intent") or {}).get("name")
    except ValueError:
        return "error: not JSON"
    return "ok" if intent else "error: no intent"


#: The probe conversation of ``rasa_core`` (namespaced apart from every channel's senders).
PROBE_SENDER = "health:probe"


async def _check_core(client: httpx.AsyncClient, rasa_url: str, token: str) -> str:
    """Rasa's dialogue core works through its own tracker store: it loads the probe
    conversation from the store, predicts its next action with the policies and saves it
    back (nothing is run and no message is added, so the probe does not grow)."""
    base = f"{rasa_url.rstrip('/')}/conversations/{PROBE_SENDER}"
    try:
        response = await client.post(
            f"{base}/predict", params={"token": token}, timeout=PROBE_TIMEOUT_SECONDS
        )
        if response.status_code == 404:  # the first probe: Rasa saves the conversation
            created = await client.post(
                f"{base}/tracker/events", params={"token": token},
                json=[{"event": "session_started"}], timeout=PROBE_TIMEOUT_SECONDS,
            )  # fmt: skip
            if not created.is_success:
                return f"error: HTTP {created.status_code}"
            response = await client.post(
                f"{base}/predict", params={"token": token}, timeout=PROBE_TIMEOUT_SECONDS
            )
    except httpx.HTTPError as exc:
        return f"unreachable: {type(exc).__name__}"
    if not response.is_success:
        return f"error: HTTP {response.status_code}"
    try:
        scores = response.json().get("scores")
    except (ValueError, AttributeError):
        return "error: not JSON"
    return "ok" if scores else "error: no prediction"


async def _within_deadline(check: Awaitable[str], seconds: float = CHECK_TIMEOUT_SECONDS) -> str:
    try:
        return await asyncio.wait_for(check, timeout=seconds + 0.5)
    except TimeoutError:
        return "error: timed out"


@router.get("/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request, settings: SettingsDep) -> JSONResponse:
    """Check every part a turn needs; 200 when all are ok, else 503 with each result.

    The database, Rasa (up, interpreting a probe message, predicting a probe conversation's
    next action through its tracker store) and the action server always;
    Rasa's tracker store and lock store when their URLs are configured.
    """
    async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as client:
        checks: dict[str, Awaitable[str]] = {
            "database": run_in_threadpool(_check_database, request.app.state.sessionmaker),
            "rasa": _check_http(client, f"{settings.rasa_url.rstrip('/')}/"),
            "action_server": _check_http(
                client, f"{settings.action_server_url.rstrip('/')}/health"
            ),
            "rasa_nlu": _check_parse(client, settings.rasa_url, settings.rasa_token),
            "rasa_core": _check_core(client, settings.rasa_url, settings.rasa_token),
        }
        if settings.tracker_store_url:
            checks["tracker_store"] = run_in_threadpool(
                _check_tracker_store, settings.tracker_store_url
            )
        if settings.lock_store_url:
            checks["lock_store"] = _check_lock_store(settings.lock_store_url)
        results = await asyncio.gather(
            *(
                _within_deadline(
                    check,
                    # Two or three round trips of real work: more time on a busy machine.
                    2 * PROBE_TIMEOUT_SECONDS
                    if name == "rasa_core"
                    else PROBE_TIMEOUT_SECONDS
                    if name == "rasa_nlu"
                    else CHECK_TIMEOUT_SECONDS,
                )
                for name, check in checks.items()
            )
        )
    report_checks = dict(zip(checks, results, strict=True))
    healthy = all(value == "ok" for value in report_checks.values())
    report = HealthReport(status="ok" if healthy else "degraded", checks=report_checks)
    return JSONResponse(report.model_dump(), status_code=200 if healthy else 503)
