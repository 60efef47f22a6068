"""One pooled HTTP client per event loop, for the desk's calls to Rasa.

Building an ``httpx.AsyncClient`` for every relayed message cost ~42 ms of the ~60 ms the
relay added to a turn (connection pool and TLS context set up each time). The relay, the
conversation history and the feedback sweep share this client instead; each call passes
its own timeout. It is keyed by event loop (a client is bound to the loop it first ran on;
tests start several loops) and closed when the app shuts down.
"""

from __future__ import annotations

import asyncio
import weakref

import httpx

__all__ = ["close_shared_client", "shared_client"]

#: Connections kept open to Rasa: enough for many concurrent conversations.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30)
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def shared_client() -> httpx.AsyncClient:
    """The running loop's client (created on first use)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(limits=LIMITS, timeout=30)
        _clients[loop] = client
    return client


async def close_shared_client() -> None:
    """Close the running loop's client, if it has one."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()
