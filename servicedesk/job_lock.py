"""One desk at a time per periodic job: a PostgreSQL advisory lock named after the job.

With several desks on one PostgreSQL database every desk sweeps, and each job takes
``pg_try_advisory_lock`` on its own key first: the desk that gets it runs the job, the
others skip it this time (they do not wait). The lock is a session lock on one pooled
connection, held while the job runs and released after it; if the desk dies, PostgreSQL
drops the lock with the connection. SQLite has no such lock: there a single desk is the
supported setup (README "Production profile").
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator

from sqlalchemy import Connection, Engine, text

__all__ = ["job_lock", "job_lock_key"]

_NAMESPACE = "envagin:job:"


def job_lock_key(name: str) -> int:
    """The advisory lock key of job ``name``: a stable signed 64-bit number."""
    digest = hashlib.sha256(f"{_NAMESPACE}{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _try_lock(conn: Connection, key: int) -> bool:
    got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
    conn.commit()  # end the implicit transaction; the session lock outlives it
    return bool(got)


def _unlock(conn: Connection, key: int) -> None:
    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    conn.commit()


@contextlib.asynccontextmanager
async def job_lock(engine: Engine, name: str) -> AsyncIterator[bool]:
    """Yield True when this process may run job ``name`` now, False when another holds it.

    On databases other than PostgreSQL it always yields True (one desk is the setup there).
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = job_lock_key(name)
    conn = await asyncio.to_thread(engine.connect)
    try:
        got = await asyncio.to_thread(_try_lock, conn, key)
        try:
            yield got
        finally:
            if got:
                try:
                    await asyncio.to_thread(_unlock, conn, key)
                except BaseException:
                    # Never hand a connection that may still hold the lock back to the pool.
                    await asyncio.to_thread(conn.invalidate)
                    raise
    finally:
        await asyncio.to_thread(conn.close)
