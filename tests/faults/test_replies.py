"""What a practitioner is told is never lost, and never doubled: real bot workers on a real Redis,
a worker SIGKILLed between saving a turn and sending its reply, and a Bot Connector that fails and
then recovers. A client shows an activity id once, so "seen once" means each reply id delivered
once; "not lost" means every reply of every turn reaches the connector."""

from __future__ import annotations

import asyncio
import time
import uuid

import aiohttp
import pytest

from tests.fake_connector import card_texts
from tests.faults.workers import HoldingConnector, Worker, activity, post


@pytest.fixture
async def connector():
    fake = await HoldingConnector().start()
    yield fake
    fake.release.set()
    await fake.stop()


@pytest.fixture
def workers(redis_server, tmp_path, sdk):
    started: list[Worker] = []

    def start(n: int = 1) -> list[Worker]:
        for _ in range(n):
            started.append(Worker({"REDIS_URL": redis_server.url, "SHARESAFE_DATA_DIR": str(tmp_path),
                                   "SHARESAFE_SDK": sdk}))
        return started[-n:]

    yield start
    for worker in started:
        worker.stop()


def reply_id(sent: dict) -> str | None:
    return (sent.get("channelData") or {}).get("sharesafeReplyId")


def texts_of(sent: list[dict]) -> list[str]:
    return [" ".join(card_texts(a["attachments"][0]["content"])) if a.get("attachments") else a.get("text", "")
            for a in sent]


async def test_a_999_whose_worker_is_killed_before_the_reply_is_answered_on_redelivery(connector, workers):
    first, second = workers(2)
    conversation = f"a:kill-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession() as http:
        assert await post(http, first, activity(connector, "hello", conversation_id=conversation)) == 201
        before = len(connector.sent_to(conversation))

        # The worker saves the turn, then dies while its reply is on the way to the connector.
        danger = activity(connector, "999 a child is in danger now", conversation_id=conversation)
        connector.hold_conversations.add(conversation)
        sending = asyncio.create_task(post(http, first, danger))
        await asyncio.wait_for(connector.arrived.wait(), 15)
        first.kill()
        assert await sending == 0  # Teams got no answer, so it delivers the activity again
        connector.hold_conversations.clear()
        assert connector.sent_to(conversation)[before:] == []  # nothing reached the practitioner

        started = time.monotonic()
        assert await post(http, second, danger) == 201
        resent = connector.sent_to(conversation)[before:]
        # Answered: the danger card first, as on the first attempt.
        assert resent and "call 999" in texts_of(resent)[0].lower()
        assert time.monotonic() - started < 10

        # Teams retrying once more finds it delivered: nothing is sent twice.
        assert await post(http, second, danger) == 201
        ids = connector.delivered_ids(conversation)
        assert len(ids) == len(set(ids)), "a reply was delivered twice"
        assert connector.sent_to(conversation)[before:] == resent

        # And the conversation goes on from where it was, on the worker still alive.
        assert await post(http, second, activity(connector, "menu", conversation_id=conversation)) == 201
        assert len(connector.sent_to(conversation)) > before + len(resent)


async def test_a_connector_outage_is_retried_by_bot_service_and_by_the_job(connector, workers):
    (worker,) = workers(1)
    conversation = f"a:outage-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession() as http:
        connector.fail_with = 502
        hello = activity(connector, "hello", conversation_id=conversation)
        # The reply cannot be sent: the bot says so with a status Bot Service retries.
        assert await post(http, worker, hello) == 503
        assert connector.sent_to(conversation) == []
        tried = {reply_id(c.body) for c in connector.calls if isinstance(c.body, dict)}

        connector.fail_with = None
        # No redelivery comes (Bot Service gave up): the durable job sends it within seconds.
        deadline = time.monotonic() + 20
        while not connector.sent_to(conversation) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        sent = connector.sent_to(conversation)
        assert sent and "I help you decide" in " ".join(texts_of(sent))
        assert None not in tried and {reply_id(a) for a in sent} <= tried  # the same ids: a client shows each once

        # A late redelivery from Bot Service finds it delivered and sends nothing.
        assert await post(http, worker, hello) == 201
        await asyncio.sleep(1.5)
        assert connector.sent_to(conversation) == sent
