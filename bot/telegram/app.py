"""Build and run the bridge's python-telegram-bot Application: polling or webhook mode."""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import suppress
from urllib.parse import urlparse

import httpx
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram.bridge import Bridge
from bot.telegram.deliverer import TelegramDeliverer
from bot.telegram.linking import CODE_MESSAGE
from bot.telegram.store import CHANNEL, Store
from servicedesk.db import get_sessionmaker
from servicedesk.relay import drain_outbox
from servicedesk.settings import Settings

__all__ = ["build_application", "run"]

logger = logging.getLogger(__name__)
#: What Telegram accepts as a webhook secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every error a handler raised, with its traceback."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("handling update %s failed", update_id, exc_info=context.error)


async def _drain_forever(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Deliver the desk's queued messages (agent replies, notices) every few seconds."""
    sessions = get_sessionmaker(settings.database_url)
    deliverer = TelegramDeliverer(application.bot, Store(sessions).keep_payload)
    while True:
        try:
            await drain_outbox(session_factory=sessions, channel=CHANNEL, deliverer=deliverer)
        except Exception:
            logger.exception("draining the Telegram outbox failed")
        await asyncio.sleep(settings.telegram_outbox_interval_seconds)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """Build the Application with its handlers, rate limiter and outbox loop."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    api = settings.telegram_api_base_url.rstrip("/")
    # A person's turn may take long (a locked database): the bridge waits, and tells them.
    http = httpx.AsyncClient(timeout=settings.rasa_turn_timeout_seconds)
    bridge = Bridge(
        session_factory=get_sessionmaker(settings.database_url),
        rasa_url=settings.rasa_url,
        relay_secret=settings.relay_secret,
        http=http,
        attachments=settings.attachments_dir,
    )
    bridge.reply_wait_seconds = settings.chat_reply_wait_seconds

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        application.bot_data["outbox"] = asyncio.create_task(
            _drain_forever(application, settings), name="telegram-outbox"
        )

    async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
        task = application.bot_data.pop("outbox", None)
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        await http.aclose()

    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        # Different people are served at once; one person's updates wait on a lock in order.
        .concurrent_updates(8)
        .post_init(post_init)
        .post_stop(post_stop)
        .build()
    )
    application.add_handler(CommandHandler("start", bridge.on_start))
    application.add_handler(CommandHandler("koppla", bridge.linking.on_link_command))
    application.add_handler(CommandHandler("koppla_fran", bridge.linking.on_unlink))
    application.add_handler(
        MessageHandler(filters.Regex(CODE_MESSAGE), bridge.linking.on_code_message)
    )
    application.add_handler(MessageHandler(filters.TEXT, bridge.on_text))
    application.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, bridge.on_file))
    application.add_handler(CallbackQueryHandler(bridge.on_button))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, bridge.on_other))
    application.add_error_handler(_on_error)
    return application


def run(settings: Settings) -> int:
    """Run the bridge until stopped; return the exit status.

    Polling when only the token is set; webhook mode when
    ``SERVICEDESK_TELEGRAM_WEBHOOK_URL`` is set too (then the secret is required).
    """
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        logger.info("Telegram bridge disabled: TELEGRAM_BOT_TOKEN is not set")
        return 0
    application = build_application(settings)
    url = settings.telegram_webhook_url
    if not url:
        logger.info("Telegram bridge polling %s", settings.telegram_api_base_url)
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return 0
    secret = settings.telegram_webhook_secret
    if secret is None or not _SECRET.fullmatch(secret.get_secret_value()):
        logger.error(
            "webhook mode needs SERVICEDESK_TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)"
        )
        return 2
    logger.info(
        "Telegram bridge webhook on %s:%s for %s",
        settings.telegram_webhook_listen, settings.telegram_webhook_port, url,
    )  # fmt: skip
    application.run_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlparse(url).path.strip("/"),
        webhook_url=url,
        secret_token=secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
    )
    return 0
