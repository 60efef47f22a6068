"""The console page of the read log: who read which ticket, transcript, thread or comment.

Only admins see it; other agents get a 403 page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from servicedesk import read_log
from servicedesk.api.deps import SessionDep, SettingsDep
from servicedesk.console import auth
from servicedesk.console.pages import _base, _render, _to_login
from servicedesk.models import AgentRole

router = APIRouter(prefix="/konsol", include_in_schema=False)

WHAT = {
    read_log.TICKET: "ärendet",
    read_log.TRANSCRIPT: "samtalsutskriften",
    read_log.THREAD: "tråden",
    read_log.FEEDBACK_COMMENT: "kunddialogens kommentar",
    read_log.PROTECTED_FIELD: "personnummer (i klartext)",
}
VIA = {"api": "API", "console": "konsolen"}


@router.get("/lasloggen", response_class=HTMLResponse)
def read_log_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    ticket: Annotated[str | None, Query(alias="arende", max_length=20)] = None,
    agent_name: Annotated[str | None, Query(alias="handlaggare", max_length=100)] = None,
) -> Response:
    """The newest 200 reads, filtered by ticket number and/or agent; 403 for non-admins."""
    agent = auth.agent_from_request(request, session, settings)
    if agent is None:
        return _to_login(request)
    context = _base(request, settings, agent) | {
        "ticket": ticket or "", "agent_name": agent_name or "", "what": WHAT, "via": VIA,
    }  # fmt: skip
    if agent.role != AgentRole.ADMIN:
        return _render(request, "read_log.html", context | {"forbidden": True}, 403)
    records, total = read_log.list_reads(
        session=session, ticket_number=ticket or None, agent_username=agent_name or None,
        limit=200,
    )  # fmt: skip
    return _render(request, "read_log.html", context | {"records": records, "total": total})
