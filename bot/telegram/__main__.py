"""``python -m bot.telegram``: run the Telegram bridge (exits 0 when no token is set)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from bot.telegram.app import run
from servicedesk.settings import require_settings


def main(argv: list[str] | None = None) -> int:
    """Parse the options, configure logging and run the bridge."""
    parser = argparse.ArgumentParser(prog="python -m bot.telegram", description=__doc__)
    parser.add_argument(
        "--stay-when-disabled",
        action="store_true",
        help="without a token, wait for a stop signal instead of exiting (for honcho, which "
        "stops every process when one exits)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Bot API URLs hold the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = require_settings()
    status = run(settings)
    if status == 0 and args.stay_when_disabled and settings.telegram_bot_token is None:
        stop = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop)
        signal.sigwait(stop)
    return status


if __name__ == "__main__":
    sys.exit(main())
