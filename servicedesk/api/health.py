"""Health check of the desk and the processes it depends on."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import HealthReport

router = APIRouter(tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0


def _check_database(factory: sessionmaker[Session]) -> str:
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not ok"; report its kind only
        return f"error: {type(exc).__name__}"
    return "ok"


async def _check_http(client: httpx.AsyncClient, url: str) -> str:
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok" if response.is_success else f"error: HTTP {response.status_code}"


@router.get("/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request, settings: SettingsDep) -> JSONResponse:
    """Check the database, Rasa and the action server; 200 when all are ok, else 503."""
    async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as client:
        database, rasa, action_server = await asyncio.gather(
            run_in_threadpool(_check_database, request.app.state.sessionmaker),
            _check_http(client, f"{settings.rasa_url.rstrip('/')}/"),
            _check_http(client, f"{settings.action_server_url.rstrip('/')}/health"),
        )
    checks = {"database": database, "rasa": rasa, "action_server": action_server}
    healthy = all(value == "ok" for value in checks.values())
    report = HealthReport(status="ok" if healthy else "degraded", checks=checks)
    return JSONResponse(report.model_dump(), status_code=200 if healthy else 503)
