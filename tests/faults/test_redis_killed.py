"""Redis SIGKILLed while records are being filed by two real workers: every practitioner is told
plainly whether the record was saved; none said to be saved is lost; a Retry after Redis is back
files each record exactly once; and the signed chain verifies."""

from __future__ import annotations

import asyncio
import re
import uuid

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bench.load import build_walk
from bot.config import Settings
from bot.http import app as app_module
from state.records_chain import new_chain_key
from tests.fake_connector import card_texts
from tests.faults.cli import bot_env, run_cli
from tests.faults.workers import Worker, activity, post
from tests.fixtures import WALK as WALK_TO_RECORD
from tests.fixtures import record_answers, say, texts

WALK = build_walk()  # hello -> outcome -> record form -> confirm (the last step files the record)
CONVERSATIONS = 6
REFERENCE = re.compile(r"ISR-\d{4}-\d{6}")


def said(connector, conversation: str, since: int) -> str:
    sent = connector.sent_to(conversation)[since:]
    return " ".join(" ".join(card_texts(a["attachments"][0]["content"])) if a.get("attachments")
                    else a.get("text", "") for a in sent)


async def test_redis_killed_mid_filing_loses_and_doubles_nothing(redis_server, connector, tmp_path, sdk):
    key = new_chain_key()
    env = {"REDIS_URL": redis_server.url, "SHARESAFE_DATA_DIR": str(tmp_path), "SHARESAFE_CHAIN_KEYS": key,
           "SHARESAFE_SDK": sdk}
    workers = [Worker(env), Worker(env)]
    conversations = [f"a:redis-{n}-{uuid.uuid4().hex[:6]}" for n in range(CONVERSATIONS)]
    try:
        async with aiohttp.ClientSession() as http:
            async def walk_to_confirm(n: int, conversation: str) -> None:
                for k, step in enumerate(WALK[:-1]):
                    body = activity(connector, step.text, value=step.value, conversation_id=conversation,
                                    user_id=f"29:user-{n}")
                    assert await post(http, workers[(n + k) % 2], body) in (200, 201)

            await asyncio.gather(*(walk_to_confirm(n, c) for n, c in enumerate(conversations)))
            before = {c: len(connector.sent_to(c)) for c in conversations}

            # Every practitioner presses Send at once; Redis dies while the records are being filed.
            confirm = WALK[-1]
            sends = [asyncio.create_task(post(http, workers[n % 2], activity(
                connector, confirm.text, value=confirm.value, conversation_id=c, user_id=f"29:user-{n}")))
                for n, c in enumerate(conversations)]
            await asyncio.sleep(0.01)
            redis_server.kill()
            statuses = await asyncio.gather(*sends)
            assert all(s in (200, 201, 503) for s in statuses), statuses

            told: dict[str, str] = {}
            for c in conversations:
                reply = said(connector, c, before[c])
                saved = REFERENCE.findall(reply)
                # Each is told one thing, plainly: saved (with its reference) or NOT saved.
                assert bool(saved) != ("NOT saved" in reply or "can't reach" in reply), reply[:200]
                if saved:
                    told[c] = saved[0]

            saved_before_restart = len(told)
            redis_server.start()
            for n, c in enumerate(conversations):
                if c in told:
                    continue
                since = len(connector.sent_to(c))
                retry = activity(connector, None, value={"choice": "retry"}, conversation_id=c, user_id=f"29:user-{n}")
                # The practitioner taps Retry (on the worker that kept the draft) until it is saved,
                # as the reply asks them to; the first taps may come before the workers reconnect.
                for _ in range(20):
                    assert await post(http, workers[n % 2], retry) in (200, 201)
                    found = REFERENCE.findall(said(connector, c, since))
                    if found:
                        told[c] = found[0]
                        break
                    await asyncio.sleep(0.5)
            assert set(told) == set(conversations), "a practitioner's record was never filed"
    finally:
        for worker in workers:
            worker.stop()

    # Nothing lost or doubled: one record per practitioner, each reference given once, all stored.
    assert len(set(told.values())) == CONVERSATIONS
    verify = run_cli("records", "verify", env=bot_env(REDIS_URL=redis_server.url, SHARESAFE_CHAIN_KEYS=key))
    assert verify.returncode == 0, verify.stdout
    assert f"OK: {CONVERSATIONS} records checked" in verify.stdout
    print(f"\nRedis killed mid-filing: {saved_before_restart} of {CONVERSATIONS} saved before, "
          f"{CONVERSATIONS - saved_before_restart} told NOT saved and filed once on Retry")


async def test_redis_stopped_as_a_record_is_confirmed_says_not_saved_and_retry_files_it_once(
        redis_server, tmp_path, connector, sdk):
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path), "REDIS_URL": redis_server.url,
                                  "SHARESAFE_SDK": sdk})
    who = ("29:prac-outage", "a:prac-outage", "Sam Teacher")
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as http:
        http.fake_connector = connector
        await say(http, who, "hello")
        for answer in ["share", *WALK_TO_RECORD, "record"]:
            await say(http, who, value={"choice": answer})
        for value in record_answers("outage"):
            await say(http, who, value=value)
        redis_server.stop()
        try:
            status, sent = await say(http, who, value={"choice": "confirm"})
        finally:
            redis_server.start()
        assert status == 201 and "Your record was NOT saved" in texts(sent) and "Retry" in texts(sent)
        # The store is back: Retry files the draft that was kept, once.
        status, sent = await say(http, who, value={"choice": "retry"})
        (record,) = await http.app[app_module.STORES_KEY].records.list(practitioner_id=who[0])
        assert record["reference"] in texts(sent)
