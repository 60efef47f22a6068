"""Public notice pages in Swedish: how personal data is handled, and the accessibility statement.

Both are linked from the web chat (its first message and footer) and the console's footer,
and need no login.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from servicedesk.api.deps import SettingsDep

__all__ = ["ACCESSIBILITY_PATH", "PRIVACY_PATH", "router"]

PRIVACY_PATH = "/dina-uppgifter"
ACCESSIBILITY_PATH = "/tillganglighet"
#: The day the accessibility statement was last reviewed (DIGG's model asks for it).
STATEMENT_REVIEWED = "30 november 2026"

_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "notice_templates"))
_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
_HEADERS = {"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"}

router = APIRouter(tags=["notices"], include_in_schema=False)


def _render(request: Request, settings: SettingsDep, name: str) -> HTMLResponse:
    context = {
        "organisation": settings.organisation_name,
        "privacy_email": settings.privacy_contact_email,
        "accessibility_email": settings.accessibility_contact_email,
        "privacy_path": PRIVACY_PATH,
        "accessibility_path": ACCESSIBILITY_PATH,
        "reviewed": STATEMENT_REVIEWED,
    }
    return _TEMPLATES.TemplateResponse(request, name, context, headers=_HEADERS)


@router.get(PRIVACY_PATH, response_class=HTMLResponse)
def privacy_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Så hanteras dina uppgifter: what is stored, why, who reads it, how long, your rights."""
    return _render(request, settings, "uppgifter.html")


@router.get(ACCESSIBILITY_PATH, response_class=HTMLResponse)
def accessibility_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Tillgänglighetsredogörelse after DIGG's model for DOS-lagen."""
    return _render(request, settings, "tillganglighet.html")
