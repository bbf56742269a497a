"""The gate in front of every turn, over HTTP: tenant allow-list, per-user message rate, card-submit
shape, body size. A refused request never runs a turn."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.http import app as app_module
from bot.config import Settings
from bot.logs import hash_id
from bot.http.ratelimit import RateLimiter
from bot.http.security import SLOW_DOWN_TEXT, check_submit, is_loopback, listen_address
from dialogs.model import TEXT_SUBMIT
from dialogs.pack import load_builtin
from tests.fake_connector import TENANT_ID, FakeConnector, message_activity, post_activity
from tests.fixtures import say, serve_app, texts

PACK = load_builtin("national-2018")
ANA = ("29:ana", "a:ana", "Ana Teacher")
BEN = ("29:ben", "a:ben", "Ben Nurse")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def start(tmp_path: Path, connector: FakeConnector, sdk: str, **env: str) -> TestClient:
    """Another app on `sdk` with these settings added; the caller closes it."""
    return await serve_app(Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_SDK": sdk,
                                              **env}), connector)


@pytest.fixture
def environ(tmp_path: Path, sdk: str) -> dict[str, str]:
    """20 messages a minute for each person, in bursts of 5."""
    return {"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_RATE_PER_MINUTE": "20",
            "SHARESAFE_RATE_BURST": "5", "SHARESAFE_SDK": sdk}


def refused(client: TestClient, reason: str) -> float:
    return client.app[app_module.METRICS_KEY].refused.labels(reason)._value.get()


# ---- Tenant allow-list --------------------------------------------------------------------------------------


async def test_only_listed_tenants_reach_the_bot(tmp_path, connector, sdk, caplog) -> None:
    other_tenant = "bad-tenant-7f3e"
    http = await start(tmp_path, connector, sdk, SHARESAFE_ALLOWED_TENANTS=f" {TENANT_ID} , tenant-0002 ")
    try:
        status, sent = await say(http, ANA, "hello")
        assert status == 201 and len(sent) == 1
        activity = message_activity(connector.url, text="hello from elsewhere", conversation_id="a:other",
                                    user_id="29:outsider")
        activity["channelData"] = {"tenant": {"id": other_tenant}}
        activity["conversation"]["tenantId"] = other_tenant
        with caplog.at_level(logging.DEBUG):
            status, sent = await post_activity(http, activity, connector)
        assert status == 403 and sent == []
        stores = http.app[app_module.STORES_KEY]
        assert await stores.conversations.load("a:other") == (None, 0)
        assert await stores.references.get("29:outsider") is None
        # Logged without content: the tenant's hash, never its id, the user or the text.
        assert f"unlisted tenant {hash_id(other_tenant)}" in caplog.text
        for secret in (other_tenant, "29:outsider", "hello from elsewhere"):
            assert secret not in caplog.text
        no_tenant = message_activity(connector.url, text="hi", conversation_id="a:none")
        del no_tenant["channelData"]
        del no_tenant["conversation"]["tenantId"]
        status, _ = await post_activity(http, no_tenant, connector)
        assert status == 403
        assert refused(http, "tenant") == 2
    finally:
        await http.close()


# ---- Message rate -----------------------------------------------------------------------------------------


async def test_a_flooding_user_is_told_once_then_dropped_and_others_are_unaffected(client) -> None:
    clock = Clock()
    gate = client.app[app_module.GATE_KEY]
    gate.limiter.clock = clock  # 20 a minute: one token every 3 seconds; a burst of 5
    stores = client.app[app_module.STORES_KEY]
    for n in range(5):
        status, sent = await say(client, ANA, "hello" if n == 0 else "rules")
        assert status == 201 and len(sent) == 1 and SLOW_DOWN_TEXT not in texts(sent)
    _, version_before = await stores.conversations.load(ANA[1])

    status, sent = await say(client, ANA, "rules")
    assert status == 201
    assert [a.get("text") for a in sent] == [SLOW_DOWN_TEXT]
    for _ in range(3):
        status, sent = await say(client, ANA, "rules")
        assert status == 202 and sent == []
    assert (await stores.conversations.load(ANA[1]))[1] == version_before  # no turn ran

    # Ben, at the same time, is not slowed down at all.
    for n in range(5):
        status, sent = await say(client, BEN, "hello" if n == 0 else "rules")
        assert status == 201 and len(sent) == 1 and SLOW_DOWN_TEXT not in texts(sent)

    # A child in danger always gets through, even to a user being slowed down.
    status, sent = await say(client, ANA, "999")
    assert status == 201 and "call 999" in texts(sent).lower() and SLOW_DOWN_TEXT not in texts(sent)

    clock.now += 3.0  # one token back
    status, sent = await say(client, ANA, "rules")
    assert status == 201 and len(sent) == 1 and SLOW_DOWN_TEXT not in texts(sent)
    status, sent = await say(client, ANA, "rules")
    assert [a.get("text") for a in sent] == [SLOW_DOWN_TEXT]  # told again, once, after a refill
    assert refused(client, "rate_limited") == 2 and refused(client, "dropped") == 3


async def test_a_message_is_read_for_danger_once_however_many_parts_need_the_reading(client, monkeypatch) -> None:
    from dialogs import danger

    read: list[str] = []
    assess = danger.assess
    monkeypatch.setattr(danger, "assess", lambda text: read.append(text) or assess(text))
    status, sent = await say(client, ANA, "he has a knife and says he will stab her now")
    # The rate limit (which lets danger through) and the engine (which answers it) share one reading.
    assert status == 201 and "call 999" in texts(sent).lower()
    assert read == ["he has a knife and says he will stab her now"]


def test_rate_limiter_bucket_arithmetic() -> None:
    clock = Clock()
    limiter = RateLimiter(60, 2, clock=clock, max_users=3)
    assert [limiter.check("u") for _ in range(4)] == ["allow", "allow", "warn", "drop"]
    clock.now += 1.0
    assert limiter.check("u") == "allow"
    clock.now += 100.0  # refills to the burst, not beyond
    assert [limiter.check("u") for _ in range(3)] == ["allow", "allow", "warn"]
    for user in ("a", "b", "c", "d"):
        limiter.check(user)
    assert len(limiter) == 3  # bounded: the least recently seen user is forgotten


async def test_the_limit_is_off_in_development_unless_set(tmp_path) -> None:
    assert Settings.from_env({}).RATE_PER_MINUTE == 0
    from state.encryption import new_key

    production = Settings.from_env({"APP_ID": "x", "APP_PASSWORD": "y", "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key()})
    assert (production.RATE_PER_MINUTE, production.RATE_BURST) == (30, 15)


# ---- Card submits ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    {"choice": "yes", "extra": "x"},
    {"choice": "yes", "node": {"nested": "yes"}},
    {"choice": ["yes"]},
    {"choice": 1},
    {"choice": "y" * 81},
    {"choice": TEXT_SUBMIT, "text": "t" * 2001},
    {"escalation": "ESC-000001", "action": "acknowledge", "choice": "yes"},
], ids=["unknown key", "nested", "list", "number", "long choice", "long text", "mixed shapes"])
async def test_a_submit_no_card_could_send_is_discarded_and_the_question_asked_again(client, value) -> None:
    await say(client, ANA, "hello")
    await say(client, ANA, value={"choice": "share"})
    status, sent = await say(client, ANA, value={"choice": "yes"})
    assert PACK.nodes["statutory_duty"].text in texts(sent)
    stores = client.app[app_module.STORES_KEY]
    state, _ = await stores.conversations.load(ANA[1])
    answers = list(state["answers"])

    activity = message_activity(client.fake_connector.url, conversation_id=ANA[1], user_id=ANA[0])
    activity["value"] = value
    status, sent = await post_activity(client, activity, client.fake_connector)
    assert status == 201
    assert PACK.nodes["statutory_duty"].text in texts(sent)  # asked again, nothing answered
    assert (await stores.conversations.load(ANA[1]))[0]["answers"] == answers
    assert refused(client, "bad_submit") == 1
    status, sent = await say(client, ANA, value={"choice": "no", "node": "statutory_duty"})
    assert PACK.nodes["harm_concern"].text in texts(sent)  # the real card still works


def test_the_shapes_ShareSafe_cards_send_are_accepted() -> None:
    for value in ({"choice": "yes", "node": "clear_purpose"}, {"choice": TEXT_SUBMIT, "text": "x" * 2000, "field": "purpose"},
                  {"escalation": "ESC-000001", "action": "resolve", "advice": "Refer to MASH."}, {}, None,
                  {"choice": "open:ISR-2026-000001"}, {"choice": "yes", "text": None}):
        assert check_submit(value) is None, value
    assert check_submit("yes") == "card submit value must be a JSON object"


async def test_an_oversized_body_gets_413_and_no_turn(client) -> None:
    activity = message_activity(client.fake_connector.url, text="x" * 300_000, conversation_id=ANA[1])
    status, sent = await post_activity(client, activity, client.fake_connector)
    assert status == 413 and sent == []
    assert await client.app[app_module.STORES_KEY].conversations.load(ANA[1]) == (None, 0)


async def test_the_escalation_buttons_are_rate_limited_like_messages(client) -> None:
    gate = client.app[app_module.GATE_KEY]
    gate.limiter.clock = Clock()
    results: list[Any] = []
    for _ in range(7):
        results.append((await say(client, BEN, value={"escalation": "ESC-000404", "action": "acknowledge"}))[0])
    assert results == [201] * 6 + [202]


# ---- Shared rate limit, odd ids and headers (issue 13) ------------------------------------------------


async def test_the_rate_limit_is_shared_by_every_worker_through_redis(tmp_path, connector, redis_server, sdk) -> None:
    env = {"REDIS_URL": redis_server.url, "SHARESAFE_RATE_PER_MINUTE": "1", "SHARESAFE_RATE_BURST": "4"}
    one, two = await start(tmp_path, connector, sdk, **env), await start(tmp_path, connector, sdk, **env)
    try:
        statuses = []
        for n in range(8):  # alternating workers: together they allow the burst once, not twice
            status, sent = await say((one, two)[n % 2], ANA, "hello" if n == 0 else "rules")
            statuses.append((status, SLOW_DOWN_TEXT in texts(sent)))
        assert statuses[:4] == [(201, False)] * 4
        assert statuses[4] == (201, True) and statuses[5:] == [(202, False)] * 3
        # Another user on either worker is not slowed down.
        status, sent = await say(two, BEN, "hello")
        assert status == 201 and SLOW_DOWN_TEXT not in texts(sent)
    finally:
        await one.close()
        await two.close()


@pytest.mark.parametrize("where,value", [
    ("conversation", "a:conv\x00-1"), ("conversation", "a:conv-\ud800"), ("from", "29:user\x1b[31m"),
    ("from", "29:\udfff"), ("id", "act\n1"),
], ids=["conversation-nul", "conversation-surrogate", "user-escape", "user-surrogate", "activity-newline"])
async def test_ids_with_control_characters_or_lone_surrogates_get_400(client, where, value) -> None:
    activity = message_activity(client.fake_connector.url, text="hello")
    if where == "id":
        activity["id"] = value
    else:
        activity[where]["id"] = value
    body = json.dumps(activity)  # lone surrogates travel as \\udxxx escapes, as an attacker sends them
    response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "not a valid id" in (await response.json())["error"]
    assert client.fake_connector.activities == []



@pytest.mark.parametrize("where", ["from.name", "channelData.tenant.id", "value.text"])
async def test_a_lone_surrogate_anywhere_gets_400_and_an_emoji_does_not(client, where) -> None:
    activity = message_activity(client.fake_connector.url, text="hello \U0001F600")
    outer, inner = where.split(".", 1)
    target = activity.setdefault(outer, {})
    for part in inner.split(".")[:-1]:
        target = target.setdefault(part, {})
    target[inner.split(".")[-1]] = "x\udc00"
    response = await client.post("/api/messages", data=json.dumps(activity), headers={"Content-Type": "application/json"})
    # No store can write it: refused before the turn, rather than a turn that fails half-way.
    assert response.status == 400 and (await response.json()) == {"error": "body holds text that is not valid Unicode"}
    assert client.fake_connector.activities == []
    status, sent = await post_activity(client, message_activity(client.fake_connector.url, text="hello \U0001F600"),
                                       client.fake_connector)
    assert status == 201 and sent


async def test_an_integer_too_long_to_convert_gets_400(client) -> None:
    activity = json.dumps(message_activity(client.fake_connector.url, text="hello"))
    body = activity[:-1] + ', "channelData": {"n": ' + "9" * 5000 + "}}"
    response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400 and (await response.json()) == {"error": "body is not valid JSON"}


async def test_an_oversized_header_gets_a_json_400(client) -> None:
    response = await client.post("/api/messages", json=message_activity(client.fake_connector.url, text="hello"),
                                 headers={"Authorization": "Bearer " + "x" * 20_000})
    assert response.status == 400
    assert (await response.json()) == {"error": "request header too large"}
    assert (await client.get("/healthz")).status == 200


def test_an_ipv4_mapped_loopback_host_is_listened_on_as_loopback() -> None:
    assert listen_address("::ffff:127.0.0.1") == "127.0.0.1"
    assert listen_address("[::ffff:127.0.0.1]") == "127.0.0.1"
    assert listen_address("::1") == "::1" and listen_address("localhost") == "localhost"
    assert is_loopback("::ffff:127.0.0.1")
