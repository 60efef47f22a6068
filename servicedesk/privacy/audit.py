"""The audit record of exports, erasures and retention runs."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from servicedesk.models import AuditEvent, as_utc, utcnow

__all__ = ["record_audit"]

logger = logging.getLogger(__name__)


def record_audit(
    *,
    session: Session,
    actor: str,
    action: str,
    subject: str = "",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add one audit event (the caller commits) and log it without personal data."""
    event = AuditEvent(
        at=as_utc(now or utcnow()), actor=actor, action=action, subject=subject, data=data or {}
    )
    session.add(event)
    session.flush()
    logger.info("audit: %s by %s on %s %s", action, actor, subject or "-", data or {})
    return event
