"""Periodic jobs across several desks: a PostgreSQL advisory lock per job."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from servicedesk import relay
from servicedesk.agents import create_agent
from servicedesk.db import make_engine
from servicedesk.job_lock import job_lock_key
from servicedesk.jobs import JOBS, JobContext, run_once
from servicedesk.models import Requester, Takeover
from servicedesk.settings import Settings
from tests.integration.servicedesk.test_desk import _service, _ticket

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine of the test's own on the emptied PostgreSQL database."""
    eng = make_engine(pg_url)
    yield eng
    eng.dispose()


def _forgotten_takeover(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        person = Requester(channel="web", external_id="lock-person", name="Kim Berg")
        session.add(person)
        _service(session, "IT-01", "IT")
        session.commit()
        ticket = _ticket(session, person, escalated=True)
        agent, _token = create_agent(session=session, username="forgetful")
        relay.start_takeover(session=session, ticket=ticket, agent=agent, now=START)
        session.commit()


def _desk_sweep(url: str, factory: sessionmaker[Session]) -> dict[str, int | None]:
    settings = Settings(
        environment="test", database_url=url, takeover_idle_minutes=30, retention_enabled=False,
        rasa_url="http://127.0.0.1:9",  # the feedback job finds nothing due anyway
    )  # fmt: skip
    ctx = JobContext(
        settings=settings, session_factory=factory, clock=lambda: START + timedelta(minutes=31)
    )
    return asyncio.run(run_once(ctx))


@pytest.mark.postgres
def test_a_job_whose_lock_another_desk_holds_is_skipped_until_it_is_released(
    pg_url: str, pg_engine: Engine
) -> None:
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    _forgotten_takeover(factory)
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as other_desk:
        key = job_lock_key("end_idle_takeovers")
        assert other_desk.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone() == (True,)
        skipped = _desk_sweep(pg_url, factory)
        assert skipped["end_idle_takeovers"] is None
        # The other jobs have locks of their own and still ran.
        assert skipped["feedback_invitations"] == 0
        with factory() as session:
            assert session.scalars(select(Takeover)).one().ended_at is None
        other_desk.execute("SELECT pg_advisory_unlock(%s)", (key,))
    assert _desk_sweep(pg_url, factory)["end_idle_takeovers"] == 1
    with factory() as session:
        assert session.scalars(select(Takeover)).one().end_reason == "idle_timeout"


@pytest.mark.postgres
def test_a_desk_releases_each_job_lock_after_the_job(pg_url: str, pg_engine: Engine) -> None:
    factory = sessionmaker(bind=pg_engine, expire_on_commit=False)
    _desk_sweep(pg_url, factory)
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as other_desk:
        for job in JOBS:
            key = job_lock_key(job.__name__)
            got = other_desk.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            assert got == (True,), f"{job.__name__} stayed locked"
            other_desk.execute("SELECT pg_advisory_unlock(%s)", (key,))


def test_job_lock_keys_are_distinct_and_stable() -> None:
    keys = [job_lock_key(job.__name__) for job in JOBS]
    assert len(set(keys)) == len(keys)
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert job_lock_key("retention") == job_lock_key("retention")
