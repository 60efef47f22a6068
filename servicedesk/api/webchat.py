"""The web chat page: one HTML file with its script and stylesheet, no external resources."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from servicedesk.api.deps import SettingsDep
from servicedesk.api.web_identity import WebPersonDep, issue_cookie

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter(tags=["webchat"])

# Everything comes from this origin; nothing is loaded from a CDN.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@router.get("/", include_in_schema=False)
def webchat_page(request: Request, settings: SettingsDep, person: WebPersonDep) -> FileResponse:
    """Serve the Swedish web chat page with the person's identity cookie (issued or renewed)."""
    if not person.new:
        issue_cookie(request, settings, person.id)  # a visit renews the cookie's lifetime
    return FileResponse(
        STATIC_DIR / "webchat.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"},
    )
