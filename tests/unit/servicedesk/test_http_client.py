"""The desk's calls to Rasa share one pooled HTTP client per event loop."""

from __future__ import annotations

import asyncio

import httpx

from servicedesk.http_client import close_shared_client, shared_client


def test_one_client_per_loop_reused_until_closed() -> None:
    async def within_one_loop() -> tuple[httpx.AsyncClient, httpx.AsyncClient, bool]:
        first, again = shared_client(), shared_client()
        await close_shared_client()
        closed = first.is_closed
        after = shared_client()
        await close_shared_client()
        return first, after, closed and again is first

    first, after, reused_then_closed = asyncio.run(within_one_loop())
    assert reused_then_closed
    assert after is not first and after.is_closed


def test_each_event_loop_gets_its_own_client() -> None:
    async def grab() -> httpx.AsyncClient:
        client = shared_client()
        await close_shared_client()
        return client

    assert asyncio.run(grab()) is not asyncio.run(grab())
