"""The web chat person's name and förvaltning: asked once, kept by the desk.

The page asks with a small form the first time (the person may skip it) and shows the
answer; ``PUT /api/chat/profile`` is the only way to change it ("Ändra" on the page). A
chat message never carries or changes it, so what the desk files tickets and feedback
under is what the person said in the form. With single sign-on the name (and the
förvaltning, when the provider tells it) come from the provider at login; the form then
only sets a förvaltning the provider did not tell, and never changes the provider's name.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk.api.chat import WEB_CHANNEL, QuietValidationRoute
from servicedesk.api.deps import SettingsDep
from servicedesk.api.schemas import ChatProfile, ChatProfileUpdate, DepartmentPublic
from servicedesk.api.web_identity import WebPersonDep
from servicedesk.models import Department, Requester, utcnow
from servicedesk.privacy import mask_personnummer
from servicedesk.requesters import find_requester, get_or_create_requester

router = APIRouter(prefix="/api/chat", tags=["chat"], route_class=QuietValidationRoute)


class UnknownDepartmentError(ValueError):
    """The form named a förvaltning code that is not an active one."""


def _public(session: Session, requester: Requester | None, sso: bool) -> ChatProfile:
    if requester is None:
        return ChatProfile(signed_in=sso)
    department = (
        session.get(Department, requester.department_code) if requester.department_code else None
    )
    return ChatProfile(
        name=requester.name,
        department=requester.department_code,
        department_name=department.name if department is not None else None,
        saved=requester.profile_saved_at is not None,
        signed_in=sso,
    )


def _read(factory: sessionmaker[Session], person_id: str, sso: bool) -> ChatProfile:
    with factory() as session:
        requester = find_requester(session=session, channel=WEB_CHANNEL, external_id=person_id)
        return _public(session, requester, sso)


def _save(
    factory: sessionmaker[Session], person_id: str, update: ChatProfileUpdate, sso: bool
) -> ChatProfile:
    with factory() as session:
        code = update.department or None
        if code is not None:
            department = session.get(Department, code)
            if department is None or not department.active:
                raise UnknownDepartmentError(code)
        requester = get_or_create_requester(
            session=session, channel=WEB_CHANNEL, external_id=person_id
        )
        # A name is never a personnummer: masked like every other text the person types.
        # With single sign-on the provider's name stays (the form cannot rename the person).
        if not (sso and requester.name):
            requester.name = mask_personnummer(update.name).text if update.name else None
        requester.department_code = code
        requester.profile_saved_at = utcnow()
        session.commit()
        return _public(session, requester, sso)


@router.get("/profile", response_model=ChatProfile)
async def chat_profile(
    http_request: Request, person: WebPersonDep, settings: SettingsDep
) -> ChatProfile:
    """The name and förvaltning kept for the cookie's person, and whether the form was answered."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_read, factory, person.id, settings.oidc_enabled)


@router.put("/profile", response_model=ChatProfile)
async def save_chat_profile(
    update: ChatProfileUpdate, http_request: Request, person: WebPersonDep, settings: SettingsDep
) -> ChatProfile:
    """Keep the person's answer to the name and förvaltning form (empty values clear them)."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    try:
        return await run_in_threadpool(_save, factory, person.id, update, settings.oidc_enabled)
    except UnknownDepartmentError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"loc": ["body", "department"], "type": "value_error",
                     "msg": f"Okänd förvaltning: {exc.args[0]!r}"}],
        ) from exc  # fmt: skip


def _departments(factory: sessionmaker[Session]) -> list[DepartmentPublic]:
    with factory() as session:
        found = session.scalars(
            select(Department).where(Department.active.is_(True)).order_by(Department.name)
        )
        return [DepartmentPublic.model_validate(d) for d in found]


@router.get("/departments", response_model=list[DepartmentPublic])
async def chat_departments(http_request: Request) -> list[DepartmentPublic]:
    """The förvaltningar the web chat lets a person choose from."""
    factory: sessionmaker[Session] = http_request.app.state.sessionmaker
    return await run_in_threadpool(_departments, factory)
