"""Start the action server on loopback, answering only Rasa (which sends the shared secret).

``python -m actions._server --host 127.0.0.1 --port 5055``. rasa-sdk's own launcher binds
every interface and checks no caller: anyone who reached it could post a hand-made
tracker and open tickets in anyone's name. Here ``/webhook`` and ``/actions`` need the
``X-Action-Secret`` header that Rasa sends (``endpoints.yml``); ``/health`` stays open.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
from collections.abc import Sequence
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from servicedesk.settings import require_settings

SECRET_HEADER = "X-Action-Secret"
_OPEN_PATHS = frozenset({"/health"})


class ThreadedActionExecutor(ActionExecutor):
    """Runs each action call in a worker thread with its own event loop.

    The actions reach the database with blocking SQLAlchemy calls; on the server's event
    loop one slow lock would stall every other turn (and /health). In a thread it delays
    only its own turn.
    """

    async def run(self, action_call: dict[str, Any]) -> Any:
        run = super().run

        def in_thread() -> Any:
            return asyncio.run(run(action_call))

        return await asyncio.to_thread(in_thread)


def build_app(secret: str, package: str = "actions") -> Any:
    """Return the rasa-sdk app for ``package`` with the shared-secret check in front."""
    if not secret:
        raise SystemExit(
            "SERVICEDESK_ACTION_SECRET is not set: the action server would answer nobody "
            "(`make run` writes one into .env)"
        )
    executor = ThreadedActionExecutor()
    executor.register_package(package)
    app = create_app(executor, cors_origins=None)
    expected = secret.encode()

    async def check_secret(request: Request) -> HTTPResponse | None:
        if request.path in _OPEN_PATHS:
            return None
        given = (request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": f"missing or wrong {SECRET_HEADER} header"}, 401)
        return None

    app.register_middleware(check_secret, "request")
    return app


def _warm_up() -> None:
    """Build the catalogue snapshot and the interpretation step before the first turn."""
    from actions._desk import snapshot  # imported here: it reaches the database

    try:
        snapshot()
    except Exception:  # the first turn tries again and tells the person if it fails
        logging.getLogger(__name__).exception("could not prepare the catalogue snapshot")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: loopback)")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = require_settings()  # refuses weak secrets in production
    app = build_app(settings.action_secret)
    _warm_up()
    app.config.KEEP_ALIVE_TIMEOUT = 120
    app.run(host=args.host, port=args.port, workers=1, legacy=True, access_log=False)


if __name__ == "__main__":
    main()
