"""The web chat page: one HTML file with its script and stylesheet, no external resources."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from servicedesk.api.deps import SettingsDep
from servicedesk.api.web_identity import issue_cookie, signed_in_person, web_person

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter(tags=["webchat"])

# Everything comes from this origin; nothing is loaded from a CDN.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@router.get("/", include_in_schema=False)
async def webchat_page(request: Request, settings: SettingsDep) -> Response:
    """Serve the Swedish web chat page with the person's identity cookie (issued or renewed).

    With single sign-on, someone not signed in is sent to the identity provider first.
    """
    if settings.oidc_enabled:
        if await run_in_threadpool(signed_in_person, request) is None:
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/auth/logga-in?next={target}", status.HTTP_303_SEE_OTHER)
    else:
        person = web_person(request, settings)
        if not person.new:
            issue_cookie(request, settings, person.id)  # a visit renews the cookie's lifetime
    return FileResponse(
        STATIC_DIR / "webchat.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"},
    )
