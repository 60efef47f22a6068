"""The Telegram bridge end to end: the real python-telegram-bot against a fake Bot API,
with the real Rasa, action server and desk database of the e2e stack."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram import texts
from servicedesk.models import (
    Agent,
    Attachment,
    Department,
    Requester,
    TelegramUpdate,
    Ticket,
)
from servicedesk.relay import (
    active_takeover,
    end_takeover,
    enqueue_outbound,
    start_takeover,
    thread,
)
from servicedesk.requesters import get_or_create_requester
from tests.support.fake_telegram import TOKEN, FakeTelegram
from tests.support.processes import Process, free_port, wait_for
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NUMBER = re.compile(r"SD-\d{4}-\d{5}")


def start_bridge(stack: Stack, fake: FakeTelegram, tmp: Path, name: str, **env: str) -> Process:
    """Start ``python -m bot.telegram`` against ``fake`` and the stack's database."""
    full = dict(stack.env)
    full.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "SERVICEDESK_TELEGRAM_API_BASE_URL": fake.url,
            "SERVICEDESK_TELEGRAM_OUTBOX_INTERVAL_SECONDS": "0.3",
            "SERVICEDESK_ATTACHMENTS_DIR": str(tmp / "attachments"),
        }
    )
    full.update(env)
    proc = Process(name, [sys.executable, "-m", "bot.telegram"], full, tmp)
    webhook = "SERVICEDESK_TELEGRAM_WEBHOOK_URL" in env

    def up() -> bool:
        if not proc.alive():
            raise RuntimeError(f"{name} exited:\n{proc.log_tail()}")
        return bool(fake.calls_of("setWebhook")) if webhook else fake.polled.is_set()

    try:
        wait_for(up, timeout=60, what=f"{name} to start")
    except BaseException:
        proc.stop()
        raise
    return proc


@pytest.fixture(scope="module")
def bridge(
    stack: Stack, fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Process]:
    """The bridge in polling mode (the embedded default)."""
    proc = start_bridge(stack, fake, tmp_path_factory.mktemp("telegram"), "telegram")
    try:
        yield proc
    finally:
        proc.stop()


def new_user() -> int:
    return random.randint(10_000_000, 99_999_999)


def say(fake: FakeTelegram, user: int, text: str, expect: str) -> list[str]:
    """Write ``text`` and wait for a reply containing ``expect``; return the new replies."""
    before = len(fake.sent(user))
    fake.push(fake.text_update(user, text))
    calls = fake.wait_sent(user, before, lambda t: expect in t)
    return [str(c.params.get("text", "")) for c in calls]


def press(fake: FakeTelegram, user: int, title: str, expect: str) -> list[str]:
    """Press the button ``title`` and wait for a reply containing ``expect``."""
    before = len(fake.sent(user))
    fake.push(fake.button_update(user, title))
    calls = fake.wait_sent(user, before, lambda t: expect in t)
    return [str(c.params.get("text", "")) for c in calls]


def onboard(fake: FakeTelegram, user: int) -> None:
    say(fake, user, "/start", "vad heter du")
    say(fake, user, "Anna Svensson", "Vilken förvaltning")
    press(fake, user, "Serviceförvaltningen", "Vad kan jag hjälpa dig med")


def wait_update(sessions: sessionmaker[Session], update_id: int, replays: int = 0) -> str:
    """Wait until the bridge has finished ``update_id`` (and dropped ``replays`` replays)."""
    state: dict[str, str] = {}

    def finished() -> bool:
        with sessions() as session:
            seen = session.get(TelegramUpdate, update_id)
            if seen is None or seen.status == "processing" or seen.replays < replays:
                return False
            state["status"] = seen.status
            return True

    wait_for(finished, timeout=60, what=f"update {update_id} to be finished")
    return state["status"]


def requester_tickets(sessions: sessionmaker[Session], user: int) -> list[Ticket]:
    with sessions() as session:
        stmt = (
            select(Ticket)
            .join(Requester, Requester.id == Ticket.requester_id)
            .where(Requester.channel == "telegram", Requester.external_id == str(user))
        )
        return list(session.scalars(stmt))


def order_fika(fake: FakeTelegram, user: int) -> str:
    say(fake, user, "fika till 4 personer på fredag kl 14", "Var ska det utföras")
    say(fake, user, "kommunhuset rum 101", "allergier")  # fika's own questions (catalogue)
    say(fake, user, "inga", "kostnadsställe")
    summary = say(fake, user, "4410", "Stämmer det här?")
    assert any("Antal personer: 4" in t for t in summary)
    done = press(fake, user, "Ja", "SD-")
    match = NUMBER.search("\n".join(done))
    assert match, done
    return match.group(0)


def test_a_whole_order_by_telegram_ends_in_a_ticket(
    bridge: Process, fake: FakeTelegram, sessions: sessionmaker[Session]
) -> None:
    user = new_user()
    # The first message waits while the name and förvaltning are asked, then goes on.
    asked = say(fake, user, "fika till 15 personer på tisdag kl 10", "vad heter du")
    assert asked[-1] == texts.ASK_NAME
    say(fake, user, "Anna Svensson", "Vilken förvaltning")
    assert "Serviceförvaltningen" in fake.sent(user)[-1].button_titles()
    continued = press(fake, user, "Serviceförvaltningen", "Var ska det utföras")
    assert any("Fika till möte" in t for t in continued)
    say(fake, user, "lilla mötesrummet på plan 2", "allergier")
    say(fake, user, "inga", "kostnadsställe")
    summary = say(fake, user, "4410", "Stämmer det här?")
    assert any("Antal personer: 15" in t for t in summary)
    assert fake.sent(user)[-1].button_titles() == ["Ja", "Nej"]

    done = "\n".join(press(fake, user, "Ja", "SD-"))
    number = NUMBER.search(done)
    assert number, done
    assert fake.calls_of("answerCallbackQuery")
    edited = [c for c in fake.calls_of("editMessageReplyMarkup") if c.chat_id == str(user)]
    assert edited and all(c.markup is None for c in edited)

    with sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number.group(0))).one()
        assert ticket.service_code == "KNF-02"
        assert ticket.channel == "telegram"
        assert ticket.conversation_id == f"telegram:{user}"
        assert ticket.details["participants"] == "15"
        assert ticket.requester.name == "Anna Svensson"
        department = session.get(Department, ticket.requester.department_code or "")
        assert department is not None and department.name == "Serviceförvaltningen"


def test_a_replayed_update_creates_nothing_new_and_is_not_answered_twice(
    bridge: Process, fake: FakeTelegram, sessions: sessionmaker[Session]
) -> None:
    user = new_user()
    onboard(fake, user)
    say(fake, user, "fika till 4 personer på fredag kl 14", "Var ska det utföras")
    say(fake, user, "kommunhuset rum 101", "allergier")  # fika's own questions (catalogue)
    say(fake, user, "inga", "kostnadsställe")
    summary = say(fake, user, "4410", "Stämmer det här?")
    assert summary
    confirm = fake.push(fake.button_update(user, "Ja"))
    fake.wait_sent(user, len(fake.sent(user)), lambda t: "SD-" in t)
    wait_update(sessions, confirm["update_id"])
    answered = len(fake.sent(user))
    assert len(requester_tickets(sessions, user)) == 1

    fake.push(confirm)  # Telegram delivers the same update again
    assert wait_update(sessions, confirm["update_id"], replays=1) == "done"
    text = fake.push(fake.text_update(user, "visa mina ärenden"))
    fake.push(text)
    assert wait_update(sessions, text["update_id"], replays=1) == "done"
    assert len(requester_tickets(sessions, user)) == 1
    # One answer to the list, none to the two replays.
    assert len(fake.sent(user)) == answered + 1


def test_the_webhook_refuses_a_wrong_secret_and_processes_the_right_one(
    stack: Stack, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    port, secret = free_port(), "the-right-secret_123"
    url = f"http://127.0.0.1:{port}/telegram"
    with FakeTelegram() as own:
        proc = start_bridge(
            stack, own, tmp_path, "telegram-webhook",
            SERVICEDESK_TELEGRAM_WEBHOOK_URL=url,
            SERVICEDESK_TELEGRAM_WEBHOOK_SECRET=secret,
            SERVICEDESK_TELEGRAM_WEBHOOK_PORT=str(port),
        )  # fmt: skip
        try:
            assert own.calls_of("setWebhook")[0].params["secret_token"] == secret
            user = new_user()
            update = own.text_update(user, "hej")
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                refused = httpx.post(url, json=update, headers=headers, timeout=10)
                assert refused.status_code == 403
            with sessions() as session:
                assert session.get(TelegramUpdate, update["update_id"]) is None

            accepted = httpx.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}, timeout=10
            )
            assert accepted.status_code == 200
            own.wait_sent(user, 0, lambda t: t == texts.ASK_NAME)
            assert wait_update(sessions, update["update_id"]) == "done"
            assert len(own.sent(user)) == 1
        finally:
            proc.stop()


def test_an_agent_reply_during_takeover_reaches_the_chat_and_the_bot_stays_silent(
    bridge: Process, fake: FakeTelegram, sessions: sessionmaker[Session]
) -> None:
    user = new_user()
    onboard(fake, user)
    reply = "\n".join(say(fake, user, "jag vill prata med en människa", "SD-"))
    number = NUMBER.search(reply)
    assert number, reply
    agent_text = "Hej Anna, det är Eva på servicedesken. Vad gäller det?"
    with sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number.group(0))).one()
        agent = session.scalars(select(Agent).where(Agent.username == "e2e-admin")).one()
        start_takeover(session=session, ticket=ticket, agent=agent)
        enqueue_outbound(
            session=session, requester=ticket.requester, text=agent_text, author="agent",
            agent=agent, ticket=ticket,
        )  # fmt: skip
        session.commit()
    before = len(fake.sent(user))
    fake.wait_sent(user, before, lambda t: t == agent_text)
    assert any("servicedesken" in t for t in fake.texts(user)[before:])

    answered = len(fake.sent(user))
    written = fake.push(fake.text_update(user, "Min dator startar inte sedan i morse"))
    assert wait_update(sessions, written["update_id"]) == "done"
    with sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number.group(0))).one()
        kept = [(m.author, m.text) for m in thread(session=session, ticket=ticket)]
        assert ("person", "Min dator startar inte sedan i morse") in kept
        assert ("agent", agent_text) in kept
        assert len(fake.sent(user)) == answered  # the bot said nothing
        takeover = active_takeover(session=session, requester=ticket.requester)
        assert takeover is not None
        end_takeover(session=session, takeover=takeover, actor="agent:e2e-admin")
        session.commit()
    fake.wait_sent(user, answered, lambda t: "tillbaka hos assistenten" in t)


def test_a_photo_is_stored_on_the_open_ticket_even_after_a_429(
    bridge: Process, fake: FakeTelegram, sessions: sessionmaker[Session], stack: Stack
) -> None:
    user = new_user()
    onboard(fake, user)
    number = order_fika(fake, user)
    fake.fail_next("sendMessage", status=429, retry_after=1)
    before = len(fake.sent(user))
    fake.push(fake.photo_update(user, b"\xff\xd8 a small jpeg", caption="så här ser det ut"))
    fake.wait_sent(user, before, lambda t: number in t and "sparat filen" in t)
    assert fake.calls_of("sendMessage (failed)")
    with sessions() as session:
        stored = session.scalars(
            select(Attachment).join(Ticket).where(Ticket.number == number)
        ).one()
        assert stored.caption == "så här ser det ut"
        assert stored.size == len(b"\xff\xd8 a small jpeg")


def test_rasa_down_gives_the_swedish_error_and_keeps_the_message(
    stack: Stack, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    user = new_user()
    with sessions() as session:
        requester = get_or_create_requester(
            session=session, channel="telegram", external_id=str(user), name="Bo Ek"
        )
        requester.department_code = "SEF"
        session.commit()
    with FakeTelegram() as own:
        proc = start_bridge(
            stack, own, tmp_path, "telegram-no-rasa",
            SERVICEDESK_RASA_URL=f"http://127.0.0.1:{free_port()}",
        )  # fmt: skip
        try:
            update = own.push(own.text_update(user, "jag vill boka konferensrum"))
            own.wait_sent(user, 0, lambda t: t == texts.TECHNICAL_ERROR)
            assert wait_update(sessions, update["update_id"]) == "failed"
            with sessions() as session:
                kept = session.get(TelegramUpdate, update["update_id"])
                assert kept is not None
                assert kept.text == "jag vill boka konferensrum"
                assert kept.error
        finally:
            proc.stop()
