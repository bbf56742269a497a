"""Operations over HTTP: no personal data or typed text in any log line (a full walk captured at
DEBUG), JSON log lines carrying the turn's correlation id, and Prometheus metrics at /metrics."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any, Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.http import app as app_module
from bot import logs
from bot.config import Settings
from dialogs.model import TEXT_SUBMIT
from state.encryption import new_key
from tests.fake_connector import message_activity, post_activity
from tests.fixtures import JOIN_CODE, WALK, record_answers, say, texts

NAME = "Zebedee Quillfeather"
PRAC = ("29:prac-1", "a:prac-1", NAME)
DSL = ("29:dsl-1", "a:dsl-1", "Alex Lead")
MARKERS = {
    "typed": "Mentioned a bruise XQ-TYPED-4417",
    "record": "XQ-RECORD-5521",
    "note": "Unsure about the bruise XQ-NOTE-9034",
    "advice": "Refer today XQ-ADVICE-1188",
    "referrer": "Quentin Marlowe-Fairbrook",
    "phone": "07700 900 461",
    "concern": "Repeated injuries XQ-CONCERN-7302",
    "mash_reason": "It would raise the risk XQ-REASON-6610",
}


@pytest.fixture
def environ(directory_environ: dict[str, str]) -> dict[str, str]:
    """The test directory, records encrypted and signed, every log line at DEBUG as JSON."""
    return {**directory_environ, "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
            "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json"}


@pytest.fixture
def captured() -> Iterator[dict[str, io.StringIO]]:
    """ALL log output at DEBUG, as the app's own logging setup writes it (JSON and text)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    streams = {"json": io.StringIO(), "text": io.StringIO()}
    logs.setup_logging("DEBUG", "json", stream=streams["json"])
    text_handler = logging.StreamHandler(streams["text"])
    text_handler.setFormatter(logs.TextFormatter())
    text_handler.addFilter(logs.ContextFilter())
    root.addHandler(text_handler)
    try:
        yield streams
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


async def ok(client: Any, who: tuple[str, str, str], text: str | None = None, **kw: Any) -> str:
    status, sent = await say(client, who, text, **kw)
    assert status in (200, 201, 202), status
    return texts(sent)


async def full_walk(client: Any) -> None:
    """Welcome, answers, a typed message, a filed record, a DSL request and its advice, a MASH hand-off."""
    add = message_activity(client.fake_connector.url, conversation_id=PRAC[1], user_id=PRAC[0])
    add.update(type="conversationUpdate", membersAdded=[{"id": PRAC[0], "name": NAME}])
    add["from"]["name"] = NAME
    assert (await post_activity(client, add, client.fake_connector))[0] == 201
    await ok(client, DSL, "hello")
    await ok(client, DSL, f"register dsl {JOIN_CODE}")
    await ok(client, PRAC, MARKERS["typed"])
    await ok(client, PRAC, value={"choice": "share"})
    for answer in WALK:
        await ok(client, PRAC, value={"choice": answer})
    await ok(client, PRAC, value={"choice": "record"})
    for value in record_answers(MARKERS["record"]):
        await ok(client, PRAC, value=value)
    assert "ISR-" in await ok(client, PRAC, value={"choice": "confirm"})
    await ok(client, PRAC, "ask my DSL")
    await ok(client, PRAC, value={"choice": TEXT_SUBMIT, "text": MARKERS["note"]})
    await ok(client, PRAC, value={"choice": "urgent"})
    assert "Sent to your DSL" in await ok(client, PRAC, value={"choice": "confirm"})
    await ok(client, DSL, value={"escalation": "ESC-000001", "action": "resolve", "advice": MARKERS["advice"]})
    await ok(client, PRAC, "Request MASH professional consultation")
    for words in [MARKERS["referrer"], "Oakfield Primary", "Class teacher", MARKERS["phone"], MARKERS["concern"]]:
        await ok(client, PRAC, value={"choice": TEXT_SUBMIT, "text": words})
    await ok(client, PRAC, value={"choice": "not_sought"})
    await ok(client, PRAC, value={"choice": TEXT_SUBMIT, "text": MARKERS["mash_reason"]})
    await ok(client, PRAC, value={"choice": "routine"})
    assert "Sent to MASH" in await ok(client, PRAC, value={"choice": "confirm"})
    await ok(client, DSL, "escalations")
    await ok(client, DSL, "org records")
    client.clock.advance(hours=2)
    await client.app[app_module.ESCALATION_KEY].run_due()


@pytest.mark.parametrize("libraries", ["as_configured", "all_at_debug"])
async def test_no_personal_data_or_typed_text_in_any_log_line(client, captured, caplog, webhook, libraries) -> None:
    loud = []
    if libraries == "all_at_debug":  # even if someone lifted the app's WARNING floor for the SDKs
        for name in (*logs.QUIET_LOGGERS, "microsoft_agents", "aiohttp", "aiohttp.access", "aiohttp.server",
                     "aiohttp.web"):
            logger = logging.getLogger(name)
            loud.append((logger, logger.level))
            logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG):
            await full_walk(client)
    finally:
        for logger, level in loud:
            logger.setLevel(level)
    assert webhook.received, "the MASH packet went out (so the hand-off path really ran)"
    everything = "\n".join([captured["json"].getvalue(), captured["text"].getvalue(), caplog.text])
    # The capture is real: botbuilder's, aiohttp's and ShareSafe's loggers all reached it.
    assert "aiohttp.access" in captured["json"].getvalue() and "POST /api/messages" in everything
    assert "sharesafe.escalation" in everything
    forbidden = [*MARKERS.values(), NAME, "Quillfeather", "XQ-", "900 461", JOIN_CODE, "Oakfield Primary\"",
                 "Class teacher", "s3cret-key",
                 # user ids and conversation ids (a failed turn names its conversation hashed, as every line does)
                 PRAC[0], DSL[0], PRAC[1], DSL[1]]
    leaked = [word for word in forbidden if word in everything]
    assert leaked == [], f"in the logs: {leaked}"


async def test_log_lines_are_json_with_the_turns_correlation_id(client, captured) -> None:
    await ok(client, PRAC, "hello", activity_id="act-corr-0001")
    lines = [json.loads(line) for line in captured["json"].getvalue().splitlines()]
    assert lines and all(set(line) >= {"time", "level", "logger", "message", "correlation_id", "conversation"}
                         for line in lines)
    mine = [line for line in lines if line["correlation_id"] == "act-corr-0001"]
    assert mine, lines
    assert {line["conversation"] for line in mine} == {logs.hash_id(PRAC[1])}
    assert all(PRAC[1] not in json.dumps(line) for line in lines)
    await ok(client, PRAC, "rules", activity_id="act-corr-0002")
    later = [json.loads(line) for line in captured["json"].getvalue().splitlines()][len(lines):]
    assert later and all(line["correlation_id"] == "act-corr-0002" for line in later)


def test_exceptions_are_logged_by_type_and_place_never_their_message() -> None:
    logger = logging.getLogger("sharesafe.test")
    record = None
    try:
        raise ValueError("the child's name is XQ-SECRET")
    except ValueError:
        import sys

        record = logger.makeRecord("sharesafe.test", logging.ERROR, __file__, 1, "turn failed", (), sys.exc_info())
    for formatter in (logs.JsonFormatter(), logs.TextFormatter()):
        line = formatter.format(record)
        assert "XQ-SECRET" not in line and "ValueError" in line and "test_logs_and_metrics.py" in line


def test_json_is_the_default_in_production() -> None:
    assert Settings.from_env({"APP_ID": "a", "APP_PASSWORD": "b", "SHARESAFE_RECORD_KEYS": new_key()}).LOG_FORMAT == "json"
    assert Settings.from_env({}).LOG_FORMAT == "text"


# ---- /metrics -------------------------------------------------------------------------------------------------


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


async def scrape(client: Any, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    client.app[app_module.METRICS_KEY]._escalations_at = float("-inf")  # no caching between scrapes here
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return samples(await response.text())


async def test_metrics_count_turns_records_and_escalations(client) -> None:
    add = message_activity(client.fake_connector.url, conversation_id=PRAC[1], user_id=PRAC[0])
    add.update(type="conversationUpdate", membersAdded=[{"id": PRAC[0]}])
    await post_activity(client, add, client.fake_connector)
    await ok(client, DSL, "hello")
    await ok(client, PRAC, "hello")
    await ok(client, PRAC, value={"choice": "share"})
    for answer in WALK:
        await ok(client, PRAC, value={"choice": answer})
    await ok(client, PRAC, value={"choice": "record"})
    for value in record_answers("m"):
        await ok(client, PRAC, value=value)
    await ok(client, PRAC, value={"choice": "confirm"})
    await ok(client, PRAC, value={"choice": "confirm"})  # pressed twice: still one record
    await ok(client, PRAC, "ask my DSL")
    await ok(client, PRAC, value={"choice": "-"})
    await ok(client, PRAC, value={"choice": "routine"})
    await ok(client, PRAC, value={"choice": "confirm"})

    m = await scrape(client)
    assert m[("sharesafe_turns_total", (("kind", "conversation_update"),))] == 1
    assert m[("sharesafe_turns_total", (("kind", "text"),))] == 3
    submits = 1 + len(WALK) + 1 + len(record_answers("m")) + 2 + 3
    assert m[("sharesafe_turns_total", (("kind", "card_submit"),))] == submits
    assert m[("sharesafe_turn_seconds_count", (("kind", "card_submit"),))] == submits
    assert m[("sharesafe_turn_seconds_bucket", (("kind", "text"), ("le", "+Inf")))] == 3
    assert m[("sharesafe_records_filed_total", ())] == 1
    assert m[("sharesafe_escalations_open", (("kind", "dsl"),))] == 1
    assert m[("sharesafe_escalations_overdue", (("kind", "dsl"),))] == 0
    assert m[("sharesafe_requests_refused_total", (("reason", "unauthorized"),))] == 0

    # Fifteen minutes on, nobody has acknowledged: the re-ping goes out and the request is overdue.
    client.clock.advance(minutes=16)
    assert await client.app[app_module.ESCALATION_KEY].run_due() == 1
    m = await scrape(client)
    assert m[("sharesafe_escalations_overdue", (("kind", "dsl"),))] == 1
    await ok(client, DSL, value={"escalation": "ESC-000001", "action": "acknowledge"})
    m = await scrape(client)
    assert m[("sharesafe_escalations_open", (("kind", "dsl"),))] == 1  # acknowledged, not yet resolved
    assert m[("sharesafe_escalations_overdue", (("kind", "dsl"),))] == 0


async def test_metrics_can_require_a_token(tmp_path, connector) -> None:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path), "SHARESAFE_METRICS_TOKEN": "scrape-me-123"})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as http:
        assert (await http.get("/metrics")).status == 401
        assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
        response = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-123"})
        assert response.status == 200 and "sharesafe_turns_total" in await response.text()


def production_settings(tmp_path: Path, **extra: str) -> Settings:
    return Settings.from_env({"APP_ID": "11111111-2222-3333-4444-555555555555", "APP_PASSWORD": "not-a-secret",
                              "APP_TYPE": "SingleTenant", "APP_TENANTID": "tenant-0001",
                              "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(), "SHARESAFE_DATA_DIR": str(tmp_path), **extra})


async def test_in_production_metrics_are_off_until_a_token_is_set(tmp_path, caplog) -> None:
    with caplog.at_level(logging.INFO):
        app = app_module.create_app(production_settings(tmp_path))
    # One start-up line says it is off and how to turn it on.
    lines = [r.getMessage() for r in caplog.records if "/metrics" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("GET /metrics is off (404): SHARESAFE_METRICS_TOKEN is not set")
    assert "Authorization: Bearer <token>" in lines[0]
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        response = await http.get("/metrics")
        assert response.status == 404  # as any path that does not exist: nothing to find for an outsider
        assert "sharesafe_" not in await response.text()
        assert (await http.get("/metrics", headers={"Authorization": "Bearer anything"})).status == 404
        assert (await http.get("/healthz")).status == 200


async def test_in_production_a_metrics_token_turns_metrics_on(tmp_path, caplog) -> None:
    with caplog.at_level(logging.INFO):
        app = app_module.create_app(production_settings(tmp_path, SHARESAFE_METRICS_TOKEN="scrape-me-456"))
    assert "GET /metrics is off" not in caplog.text and "scrape-me-456" not in caplog.text
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        assert (await http.get("/metrics")).status == 401
        response = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-456"})
        assert response.status == 200 and "sharesafe_turns_total" in await response.text()


async def test_development_keeps_metrics_open(tmp_path) -> None:
    async with TestClient(TestServer(app_module.create_app(Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path)})),
                                     host="127.0.0.1")) as http:
        assert (await http.get("/metrics")).status == 200


async def test_a_failed_turn_logs_the_conversation_hashed(client, captured, monkeypatch) -> None:
    await ok(client, PRAC, "hello")
    runner = client.app[app_module.BOT_KEY].runner

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"boom {MARKERS['typed']}")

    for name in ("run", "run_turn"):
        if hasattr(runner, name):
            monkeypatch.setattr(runner, name, broken)
    status, sent = await say(client, PRAC, MARKERS["typed"], activity_id="act-fail-0001")
    assert status in (200, 201) and "Sorry, something went wrong" in texts(sent)
    lines = [json.loads(line) for line in captured["json"].getvalue().splitlines()]
    (failed,) = [line for line in lines if line["message"].startswith("turn failed:")]
    assert f"conversation={logs.hash_id(PRAC[1])}" in failed["message"]
    assert failed["conversation"] == logs.hash_id(PRAC[1]) and failed["correlation_id"] == "act-fail-0001"
    everything = captured["json"].getvalue() + captured["text"].getvalue()
    assert PRAC[1] not in everything and "XQ-TYPED" not in everything and "boom" not in everything


async def test_store_errors_are_counted(redis_server, tmp_path, connector, sdk) -> None:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path), "REDIS_URL": redis_server.url,
                                  "SHARESAFE_SDK": sdk})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as http:
        http.fake_connector = connector
        await ok(http, PRAC, "hello")
        redis_server.stop()
        try:
            assert "can't reach its store" in await ok(http, PRAC, "rules")
            m = await scrape(http)
        finally:
            redis_server.start()
    assert m[("sharesafe_store_errors_total", (("error", "StoreUnavailable"), ("store", "conversations")))] >= 1
