"""No dead ends and human words: what is not set up is not asked for in a form (the practitioner is
told at once whom to phone, with the pack's numbers), the start-up log names what is missing, urgent
MASH wording says plainly what happens next, and cards speak in titles, words and UK times."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.http import app as app_module
from bot.config import Settings
from tests.fake_connector import FakeConnector
from tests.fixtures import DSL, PACK, PRAC, add_bot_to_mash_team, ask_dsl, ask_mash, card_text, open_chats, serve_app
from tests.fixtures import texts_of, to
from tests.fixtures import say_accepted as say

RIVERSIDE = ("29:prac-r", "a:prac-r", "Riv Teacher")  # no DSL, no join code, no MASH
NOMASH = ("29:prac-n", "a:prac-n", "Nia Teacher")  # a DSL, but no MASH destination


pytestmark = pytest.mark.with_directory  # the app with the test directory (Oakfield's DSLs, MASH channel and webhook)


@pytest.fixture
async def bare(tmp_path: Path, connector: FakeConnector, sdk: str) -> AsyncIterator[TestClient]:
    """The default configuration: no directory file; the Cambridgeshire pack."""
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_PACK": "cambridgeshire",
                                  "SHARESAFE_SDK": sdk})
    http = await serve_app(settings, connector)
    yield http
    await http.close()


async def test_with_no_directory_ask_my_dsl_says_at_once_whom_to_phone(bare) -> None:
    sent = await say(bare, PRAC, "ask my DSL")
    text = texts_of(sent)
    assert "No DSL is set up for your organisation in ShareSafe" in text
    assert "Cambridgeshire MASH: 0345 045 1362" in text and "call 999" in text
    assert "Anything to add" not in text and "urgent" not in text.lower()  # no form question
    state, _ = await bare.app[app_module.STORES_KEY].conversations.load(PRAC[1])
    assert not state.get("request")  # nothing half-filled waiting for them
    sent = await say(bare, PRAC, "Request MASH professional consultation")
    assert "Phone MASH now" in texts_of(sent) and "0345 045 1362" in texts_of(sent)
    assert bare.fake_connector.sent_to(DSL[1]) == []


async def test_an_organisation_without_a_dsl_or_mash_gets_no_form_and_a_number(client) -> None:
    text = texts_of(await say(client, RIVERSIDE, "ask my DSL"))
    assert "Contact your DSL directly" in text
    # Riverside's pack (the national one) holds no number: it says where to find one, never nothing.
    assert "children's social care front door (MASH)" in text and "council's website" in text
    text = texts_of(await say(client, NOMASH, "mash"))
    assert "Phone MASH now" in text and "Your name" not in text
    # The DSL form is still offered where a DSL is set up.
    sent = await say(client, NOMASH, "ask my DSL")
    assert "No DSL is set up" not in texts_of(sent)


async def test_the_start_up_log_names_what_is_missing_without_personal_data(tmp_path, caplog, connector) -> None:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path / "data")})
    with caplog.at_level(logging.INFO, logger="sharesafe.escalation"):
        async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")):
            pass
    (line,) = [r.getMessage() for r in caplog.records if "escalation set-up" in r.getMessage()]
    assert "DSL directory" in line and "MASH destination" in line and "fallback phone numbers" in line
    assert "national-2018" in line and "cambridgeshire" not in line  # Cambridgeshire's pack has its number


async def test_the_start_up_log_names_organisations_not_people(client, caplog) -> None:
    lines = [r.getMessage() for r in caplog.get_records("setup") if "escalation set-up" in r.getMessage()]
    assert lines and "riverside" in lines[0] and "nomash" in lines[0]
    assert "oakfield" not in lines[0].split("MASH destination")[0]  # Oakfield has its DSL
    assert "Alex Lead" not in lines[0] and "29:" not in lines[0]


async def test_urgent_mash_wording_says_phone_now_and_does_not_promise_tomorrow_as_today(client, webhook) -> None:
    await add_bot_to_mash_team(client)
    text = texts_of(to(await ask_mash(client, urgent=True), PRAC[1]))
    assert "As it is urgent, phone MASH now:\nCambridgeshire MASH: 0345 045 1362" in text
    assert "Don't wait for their call back" in text and "HO-000001" in text
    assert "If a child is in immediate danger, call 999." in text
    assert "If you can't get through" not in text


async def test_the_dsl_card_speaks_in_titles_words_and_uk_time(client) -> None:
    await open_chats(client, DSL)
    await say(client, PRAC, value={"choice": "share"})
    await say(client, PRAC, value={"choice": "yes"})  # stuck before the flowchart reaches consent
    await ask_dsl(client)
    (ping,) = [a for a in client.fake_connector.sent_to(DSL[1]) if a.get("attachments")
               and "advice requested" in card_text(a["attachments"][0]["content"])]
    card = ping["attachments"][0]["content"]
    facts = {f["title"]: f["value"] for item in card["body"] if item.get("type") == "FactSet" for f in item["facts"]}
    assert facts["Guidance"] == PACK.title and PACK.id not in facts["Guidance"]  # not "cambridgeshire v1.2"
    assert facts["Consent"] == "Not considered yet"
    assert facts["Asked"].endswith(("GMT", "2027")) and " on " in facts["Asked"]

