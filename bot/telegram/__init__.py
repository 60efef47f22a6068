"""The Telegram channel: a python-telegram-bot bridge between Telegram, Rasa and the desk."""

from __future__ import annotations

from bot.telegram.deliverer import TelegramDeliverer
from bot.telegram.formatting import keyboard_for, split_text

__all__ = ["TelegramDeliverer", "keyboard_for", "split_text"]
