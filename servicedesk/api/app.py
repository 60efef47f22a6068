"""The desk's FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from servicedesk.api import (
    admin,
    chat,
    chat_link,
    chat_profile,
    health,
    notices,
    privacy,
    report_page,
    reports,
    sso,
    tickets,
    webchat,
)
from servicedesk.api.errors import install_error_handlers
from servicedesk.api.guards import InputGuard, SecurityHeaders
from servicedesk.api.web_identity import IssueWebIdentity
from servicedesk.console import pages as console_pages
from servicedesk.console import read_log_page
from servicedesk.db import get_sessionmaker
from servicedesk.http_client import close_shared_client
from servicedesk.jobs import JobContext, run_forever
from servicedesk.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the desk app: health, tickets API, chat relay and the web chat page.

    Args:
        settings: Settings to run with; the process-wide settings by default.
    """
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        if settings.run_jobs:
            ctx = JobContext(settings=settings, session_factory=app.state.sessionmaker)
            task = asyncio.create_task(run_forever(ctx), name="desk-jobs")
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await close_shared_client()

    app = FastAPI(
        title="En väg in – servicedesk",
        description="Servicedeskens API, konsolen, webbchatten och hälsokontrollen.",
        version="0.2.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    # The last added runs first: every answer, the guard's refusals too, gets the headers.
    app.add_middleware(IssueWebIdentity)
    app.add_middleware(InputGuard, max_body_bytes=settings.max_request_body_bytes)
    production = settings.environment == "production"
    hsts_max_age = settings.hsts_max_age_seconds if production else None
    app.add_middleware(SecurityHeaders, hsts_max_age=hsts_max_age)
    sso.install(app, settings)
    # The engine is created lazily on first use, so building the app never connects.
    app.state.sessionmaker = get_sessionmaker(settings.database_url)
    app.include_router(health.router)
    app.include_router(tickets.router)
    app.include_router(admin.router)
    app.include_router(privacy.router)
    app.include_router(chat.router)
    app.include_router(chat_profile.router)
    app.include_router(chat_link.router)
    app.include_router(webchat.router)
    app.include_router(notices.router)
    app.include_router(sso.router)
    app.include_router(console_pages.router)
    app.include_router(read_log_page.router)
    app.include_router(reports.router)
    app.include_router(report_page.router)
    app.mount("/static", StaticFiles(directory=webchat.STATIC_DIR), name="static")
    app.mount(
        "/konsol/static", StaticFiles(directory=console_pages.STATIC_DIR), name="console-static"
    )
    return app
