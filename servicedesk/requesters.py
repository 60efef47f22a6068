"""Requesters: employees as known on one channel, created on first contact."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicedesk.models import Requester

__all__ = ["find_requester", "get_or_create_requester"]


def _begin_sqlite_transaction(session: Session) -> None:
    """Open the SQLite transaction before a SAVEPOINT if the driver has not yet.

    pysqlite only emits BEGIN before DML; a SAVEPOINT issued first would become the
    outermost transaction and its RELEASE would commit behind the caller's back.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def find_requester(*, session: Session, channel: str, external_id: str) -> Requester | None:
    """Return the requester known as ``external_id`` on ``channel``, if any."""
    stmt = select(Requester).where(
        Requester.channel == channel, Requester.external_id == external_id
    )
    return session.scalars(stmt).one_or_none()


def get_or_create_requester(
    *, session: Session, channel: str, external_id: str, name: str | None = None
) -> Requester:
    """Return the requester for (channel, external_id), creating it on first contact.

    Safe when two conversations make first contact at once: the insert runs in a
    savepoint, and a unique-key conflict falls back to the row the other one made.
    A known requester without a name gets ``name`` filled in.

    Args:
        session: The caller's session; the caller commits.
        channel: Channel name, e.g. ``"rest"`` or ``"telegram"``.
        external_id: The sender id on that channel.
        name: Display name, if the channel tells it.
    """
    requester = find_requester(session=session, channel=channel, external_id=external_id)
    if requester is None:
        requester = Requester(channel=channel, external_id=external_id, name=name)
        _begin_sqlite_transaction(session)
        try:
            with session.begin_nested():
                session.add(requester)
        except IntegrityError:
            requester = find_requester(session=session, channel=channel, external_id=external_id)
            if requester is None:  # pragma: no cover - the conflict was not ours
                raise
    if name and not requester.name:
        requester.name = name
    return requester
