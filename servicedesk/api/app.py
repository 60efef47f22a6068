"""The desk's FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from servicedesk.api import chat, health, tickets, webchat
from servicedesk.db import get_sessionmaker
from servicedesk.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the desk app: health, tickets API, chat relay and the web chat page.

    Args:
        settings: Settings to run with; the process-wide settings by default.
    """
    settings = settings or get_settings()
    app = FastAPI(
        title="En väg in – servicedesk",
        description="Servicedeskens API, webbchatten och hälsokontrollen.",
        version="0.1.0",
    )
    app.state.settings = settings
    # The engine is created lazily on first use, so building the app never connects.
    app.state.sessionmaker = get_sessionmaker(settings.database_url)
    app.include_router(health.router)
    app.include_router(tickets.router)
    app.include_router(chat.router)
    app.include_router(webchat.router)
    app.mount("/static", StaticFiles(directory=webchat.STATIC_DIR), name="static")
    return app
