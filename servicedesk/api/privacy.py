"""Admin API for personal data: export or erase one person, see what retention would remove."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel

from servicedesk.api.admin import AdminAgent
from servicedesk.api.deps import SessionDep, SettingsDep
from servicedesk.models import Requester, utcnow
from servicedesk.privacy.persons import erase_person, export_person, find_person
from servicedesk.privacy.retention import run_retention

router = APIRouter(prefix="/api", tags=["privacy"])

PersonRef = Annotated[
    str,
    Path(
        max_length=200,
        description="Requester id, or conversation id such as `web:<id>` or `telegram:<id>`.",
    ),
]


class ErasureRequest(BaseModel):
    """How to erase: keep the tickets anonymised for statistics, or delete them."""

    mode: Literal["anonymise", "delete"] = "anonymise"


class ErasureDone(BaseModel):
    """What the erasure removed or anonymised."""

    mode: Literal["anonymise", "delete"]
    counts: dict[str, int]


class RetentionLinePublic(BaseModel):
    """One kind of data due for retention."""

    key: str
    label: str
    rule: str
    count: int


class RetentionPreview(BaseModel):
    """What a retention run would do now (nothing is changed)."""

    lines: list[RetentionLinePublic]
    tracker_note: str | None


def _person(session: SessionDep, ref: str) -> Requester:
    requester = find_person(session=session, ref=ref)
    if requester is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Personen finns inte.")
    return requester


@router.get("/persons/{ref}/export")
def get_person_export(
    ref: PersonRef, session: SessionDep, settings: SettingsDep, admin: AdminAgent
) -> dict[str, Any]:
    """Everything kept about one person (admins only); the export is audited."""
    requester = _person(session, ref)
    return export_person(
        session=session, settings=settings, requester=requester, actor=f"agent:{admin.username}"
    )


@router.post("/persons/{ref}/erase", response_model=ErasureDone)
def post_person_erase(
    ref: PersonRef,
    body: ErasureRequest,
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminAgent,
) -> ErasureDone:
    """Anonymise (default) or delete everything about one person (admins only); audited."""
    requester = _person(session, ref)
    counts = erase_person(
        session=session, settings=settings, requester=requester, mode=body.mode,
        actor=f"agent:{admin.username}",
    )  # fmt: skip
    return ErasureDone(mode=body.mode, counts=counts)


@router.get("/retention", response_model=RetentionPreview)
def get_retention_preview(
    session: SessionDep, settings: SettingsDep, _admin: AdminAgent
) -> RetentionPreview:
    """What retention would anonymise or delete now (admins only; a dry run)."""
    result = run_retention(
        session=session, settings=settings, now=utcnow(), dry_run=True, actor="api"
    )
    return RetentionPreview(
        lines=[RetentionLinePublic(**vars(line)) for line in result.lines],
        tracker_note=result.tracker_note,
    )
