"""Periodic desk work: one registry of jobs, run by the desk app and by the CLI.

A job is ``async def job(ctx: JobContext) -> int`` returning how many things it did. The
desk app runs every job each ``SERVICEDESK_SWEEP_INTERVAL_SECONDS`` (see
:func:`run_forever`); ``python -m servicedesk jobs run-once`` runs them once, e.g. from
cron. With several desks on PostgreSQL every desk sweeps, and each job first takes its
advisory lock (:mod:`servicedesk.job_lock`): one desk runs a given job at a time, the
others skip it until their next sweep.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from servicedesk.feedback.sweep import feedback_invitations
from servicedesk.job_lock import job_lock
from servicedesk.models import utcnow
from servicedesk.privacy.retention import run_retention
from servicedesk.relay import expire_idle_takeovers
from servicedesk.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What a job gets: settings, a session factory and the clock."""

    settings: Settings
    session_factory: Callable[[], Session]
    clock: Callable[[], datetime] = field(default=utcnow)
    #: When each throttled job last ran (jobs that need not run every sweep).
    last_runs: dict[str, datetime] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        """The current time by this context's clock."""
        return self.clock()


Job = Callable[[JobContext], Awaitable[int]]


async def end_idle_takeovers(ctx: JobContext) -> int:
    """End takeovers whose agent has been idle longer than the configured time."""
    idle = timedelta(minutes=ctx.settings.takeover_idle_minutes)
    with ctx.session_factory() as session:
        ended = expire_idle_takeovers(session=session, idle=idle, now=ctx.now)
        session.commit()
    return ended


def _retention_once(ctx: JobContext) -> int:
    with ctx.session_factory() as session:
        result = run_retention(
            session=session, settings=ctx.settings, now=ctx.now, dry_run=False,
            actor="system:retention",
        )  # fmt: skip
    return result.total


async def retention(ctx: JobContext) -> int:
    """Gallring: anonymise or delete what is due, at most once per retention interval."""
    if not ctx.settings.retention_enabled:
        return 0
    last = ctx.last_runs.get("retention")
    interval = timedelta(minutes=ctx.settings.retention_interval_minutes)
    if last is not None and ctx.now - last < interval:
        return 0
    ctx.last_runs["retention"] = ctx.now
    # Blocking database work (possibly two databases): keep it off the event loop.
    return await asyncio.to_thread(_retention_once, ctx)


#: Every periodic job, run in this order.
JOBS: list[Job] = [end_idle_takeovers, feedback_invitations, retention]


def _engine_of(ctx: JobContext) -> Engine:
    with ctx.session_factory() as session:  # a session connects only when used
        bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


async def run_once(ctx: JobContext) -> dict[str, int | None]:
    """Run every job once; a failing job is logged and does not stop the others.

    Returns how many things each job did: ``-1`` when it failed, ``None`` when another
    desk held its lock and so this one skipped it.
    """
    done: dict[str, int | None] = {}
    engine = _engine_of(ctx)
    for job in JOBS:
        name = getattr(job, "__name__", repr(job))
        try:
            async with job_lock(engine, name) as mine:
                if not mine:
                    logger.debug("periodic job %s skipped: another desk runs it", name)
                    done[name] = None
                    continue
                done[name] = await job(ctx)
        except Exception:
            logger.exception("periodic job %s failed", name)
            done[name] = -1
    return done


async def run_forever(ctx: JobContext) -> None:
    """Run every job every ``sweep_interval_seconds`` until cancelled."""
    while True:
        await run_once(ctx)
        await asyncio.sleep(ctx.settings.sweep_interval_seconds)
