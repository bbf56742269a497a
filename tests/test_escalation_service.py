"""The escalation service without HTTP: a recording messenger, a hand-moved clock, real stores."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.escalation.directory import DirectoryError, FileDirectory, code_hash
from bot.escalation.service import Actor, is_overview_command, is_register_command
from bot.channels.reference import ConversationRef
from bot.turn.effects import EffectExecutor, EscalationFailed
from dialogs.pack import load_builtin
from state.factory import open_stores
from tests.engine_chat import EngineChat
from tests.fixtures import (
    DEPUTY_CONV,
    DSL_CONV,
    ENVIRON,
    JOIN_CODE,
    MASH_CHANNEL,
    PRAC_CONV,
    T0,
    FakeClock,
    RecordingMessenger,
    card_actions,
    card_text,
    escalate_effect,
    handoff_effect,
    make_service,
    practitioner_input,
    reference,
    seed_references,
    write_directory,
)
from tests.fixtures import SERVICE_SETTINGS as SETTINGS
from tests.redis_server import RedisServer

DSL = Actor(user_id="29:dsl-1", name="Alex Lead", conversation_id=DSL_CONV)
DEPUTY = Actor(user_id="29:dep-1", name="Bo Deputy", conversation_id=DEPUTY_CONV)


# ---- Asking the DSL -----------------------------------------------------------------------------


async def test_escalate_sends_the_dsl_a_card_with_who_summary_note_urgency_and_buttons(env) -> None:
    service, messenger, _ = env
    result = await service.handle_effect(PRAC_CONV, escalate_effect(urgent=True), practitioner_input())
    assert result == {"id": "ESC-000001", "sent_to": 1}
    (card,) = messenger.cards(DSL_CONV)
    assert messenger.to(DEPUTY_CONV) == []  # deputies only on the re-ping
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    text = card_text(card)
    for expected in ("Sam Teacher", "Oakfield Primary School", "ESC-000001", "Urgent: today",
                     "Unsure if a bruise counts", "Is there a clear and legitimate purpose for sharing?",
                     "I'll call you", "Acknowledge", "Resolved", "cambridgeshire v1.0"):
        assert expected in text, expected
    assert {(d["escalation"], d["action"]) for d in card_actions(card)} == {
        ("ESC-000001", "calling"), ("ESC-000001", "acknowledge"), ("ESC-000001", "resolve")}
    resolve_form = next(a for a in card["actions"] if a["type"] == "Action.ShowCard")["card"]
    assert resolve_form["body"][0]["type"] == "Input.Text" and resolve_form["body"][0]["id"] == "advice"
    stored = await service.escalations.get("ESC-000001")
    assert stored["due_at"] == "2027-12-24T09:05:00.000000Z"  # urgent: 5 minutes


async def test_the_same_effect_twice_sends_once(env) -> None:
    service, messenger, _ = env
    first = await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    again = await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    assert first == again == {"id": "ESC-000001", "sent_to": 1}
    assert len(messenger.cards(DSL_CONV)) == 1
    assert len(await service.escalations.list()) == 1


def request_from_a_fresh_conversation(form: str):
    """The effect the dialog emits on Send when the conversation state has expired (a new state)."""
    chat = EngineChat(load_builtin("cambridgeshire"))
    chat.say("hello")
    (reply,) = chat.say("ask my DSL" if form == "dsl" else "mash")
    answers = {"note": "-", "urgency": "routine", "consent_status": "not_yet_sought"}
    while reply.kind != "request_summary":
        field = reply.data["field"]
        (reply,) = chat.tap(answers[field]) if field in answers else chat.say(value={"choice": "__text__",
                                                                                     "text": f"Some {field}"})
    assert chat.tap("confirm") == []
    (effect,) = chat.effects
    return effect


async def test_a_new_request_after_the_conversation_state_expired_is_sent_not_taken_for_the_old_one(
        env, stores) -> None:
    service, messenger, _ = env
    await stores.references.put(f"channel:{MASH_CHANNEL}", reference("", MASH_CHANNEL))
    # The same Teams 1:1 conversation id both times; the dialog state started again in between.
    asked = [await service.handle_effect(PRAC_CONV, request_from_a_fresh_conversation("dsl"), practitioner_input())
             for _ in range(2)]
    assert [a["id"] for a in asked] == ["ESC-000001", "ESC-000002"]
    assert len(messenger.cards(DSL_CONV)) == 2
    handed = [await service.handle_effect(PRAC_CONV, request_from_a_fresh_conversation("mash"), practitioner_input())
              for _ in range(2)]
    assert [h["id"] for h in handed] == ["HO-000001", "HO-000002"]
    assert len(messenger.cards(MASH_CHANNEL)) == 2


async def test_no_dsl_and_unknown_organisation(env) -> None:
    service, messenger, _ = env
    with pytest.raises(EscalationFailed) as failed:
        await service.handle_effect("a:r", escalate_effect(), practitioner_input("29:prac-r"))
    assert failed.value.error == "no_dsl"
    with pytest.raises(EscalationFailed) as failed:
        await service.handle_effect("a:x", escalate_effect(), practitioner_input("29:stranger"))
    assert failed.value.error == "no_dsl"
    assert messenger.sent == [] and await service.escalations.list() == []


async def test_dsl_who_never_opened_the_bot_falls_back_to_deputies_then_undeliverable(env, stores) -> None:
    service, messenger, _ = env
    # nomash's only DSL has no stored conversation: nothing can be sent, and the turn says so.
    with pytest.raises(EscalationFailed) as failed:
        await service.handle_effect("a:n", escalate_effect(), practitioner_input("29:prac-n"))
    assert failed.value.error == "undeliverable"
    (esc,) = await service.escalations.list(organisation="nomash")
    assert esc["status"] == "undeliverable" and esc["deliveries"][0]["error"] == "no_reference"


# ---- When the DSL can't be reached: the deputies at once ------------------------------------------


async def test_a_dsl_who_never_opened_sharesafe_means_the_deputies_are_asked_at_once(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock)
    # Oakfield's DSL has never opened ShareSafe (no conversation reference); its deputy has.
    await stores.references.put("29:dep-1", reference("29:dep-1", DEPUTY_CONV))
    await stores.references.put(f"conv:{PRAC_CONV}", reference("29:prac-1", PRAC_CONV))
    try:
        result = await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
        assert result == {"id": "ESC-000001", "sent_to": 1, "to_deputies": True}
        (card,) = messenger.cards(DEPUTY_CONV)
        assert "Safeguarding advice requested" in card_text(card) and "ESC-000001" in card_text(card)
        stored = await service.escalations.get("ESC-000001")
        assert stored["status"] == "requested"
        assert [(d["role"], d["status"], d["error"]) for d in stored["deliveries"]] == [
            ("dsl", "failed", "no_reference"), ("deputy", "sent", "")]
        # The reminder still comes on time...
        clock.advance(minutes=15)
        assert await service.run_due() == 1
        assert "Reminder: safeguarding advice still needed" in card_text(messenger.cards(DEPUTY_CONV)[-1])
        # ...and then the practitioner is told the truth: the DSL was never reached.
        clock.advance(minutes=15)
        assert await service.run_due() == 1
        (told,) = messenger.texts(PRAC_CONV)
        assert "I couldn't reach your DSL in Teams, and no deputy DSL has answered your request ESC-000001" in told
        assert "None of your safeguarding leads" not in told and "Cambridgeshire MASH: 0345 045 1362" in told
        reply = await service.act(DEPUTY, {"escalation": "ESC-000001", "action": "calling"})
        assert "Sam Teacher has been told" in reply.text
        assert messenger.texts(PRAC_CONV)[-1] == "Bo Deputy will call you about your request ESC-000001."
    finally:
        await service.close()


async def test_failing_dsl_sends_go_to_the_deputies_at_once_and_the_reping_keeps_its_time(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(failing={DSL_CONV}), FakeClock()
    settings = replace(SETTINGS, retry_delays=(30.0, 600.0))  # a DSL retry still pending at the re-ping
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, settings=settings)
    await seed_references(stores)
    try:
        result = await service.handle_effect(PRAC_CONV, escalate_effect(urgent=True), practitioner_input())
        assert result == {"id": "ESC-000001", "sent_to": 1, "to_deputies": True}
        assert len(messenger.cards(DEPUTY_CONV)) == 1 and messenger.cards(DSL_CONV) == []
        clock.advance(seconds=30)
        assert await service.run_due() == 1  # the DSL retry fails again; the next is in 10 minutes
        stored = await service.escalations.get("ESC-000001")
        assert stored["deliveries"][0]["status"] == "retrying" and stored["due_at"] == "2027-12-24T09:05:00.000000Z"
        # The channel's own reason is recorded (3 quick tries in the turn, 1 from the job).
        assert (stored["deliveries"][0]["error"], stored["deliveries"][0]["attempts"]) == ("http 500", 4)
        clock.advance(minutes=4, seconds=30)  # 5 minutes (urgent): the re-ping, on time
        assert await service.run_due() == 1
        assert "Reminder" in card_text(messenger.cards(DEPUTY_CONV)[-1])
        assert (await service.escalations.get("ESC-000001"))["stage"] == 1
        messenger.failing.clear()  # Teams recovers: the DSL's reminder gets through on its retry
        clock.advance(seconds=30)
        await service.run_due()
        assert "Reminder" in card_text(messenger.cards(DSL_CONV)[-1])
        await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
        assert messenger.texts(PRAC_CONV) == [
            "Your DSL Alex Lead has acknowledged your request ESC-000001. They will be in touch."]
    finally:
        await service.close()


async def test_when_every_dsl_send_fails_the_practitioner_hears_could_not_reach_not_no_answer(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(failing={"a:dsl-n"}), FakeClock()
    settings = replace(SETTINGS, retry_delays=(30.0, 600.0))
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, settings=settings)
    # No MASH School has one DSL and no deputies; Teams keeps failing to deliver to the DSL.
    await stores.references.put("29:dsl-n", reference("29:dsl-n", "a:dsl-n"))
    await stores.references.put("conv:a:n", reference("29:prac-n", "a:n"))
    try:
        result = await service.handle_effect("a:n", escalate_effect(urgent=True), practitioner_input("29:prac-n"))
        assert result == {"id": "ESC-000001", "sent_to": 0, "pending": True}
        for minutes in (0.5, 5, 5.5, 10):  # retry, re-ping, retry, then the last stage
            clock.now = T0 + timedelta(minutes=minutes)
            await service.run_due()
        (told,) = messenger.texts("a:n")
        assert "I couldn't reach your DSL with your request ESC-000001: Teams did not deliver it" in told
        assert "None of your safeguarding leads" not in told and "call 999" in told
        assert (await service.escalations.get("ESC-000001"))["status"] == "requested"  # still trying
        clock.now = T0 + timedelta(minutes=16)
        await service.run_due()  # the last retry fails: undeliverable, and they have already been told
        assert (await service.escalations.get("ESC-000001"))["status"] == "undeliverable"
        clock.advance(hours=1)
        await service.run_due()
        assert len(messenger.texts("a:n")) == 1
    finally:
        await service.close()


async def test_executor_maps_failures_and_routes_handoff(env) -> None:
    service, _, _ = env
    executor = EffectExecutor(records=None, directory=service.directory, escalate=service.handle_effect)  # type: ignore[arg-type]
    bad = await executor.execute("a:r", escalate_effect(), practitioner_input("29:prac-r"))
    assert (bad.ok, bad.error) == (False, "no_dsl")
    good = await executor.execute(PRAC_CONV, escalate_effect(), practitioner_input())
    assert good.ok and good.data["id"] == "ESC-000001"
    handoff = await executor.execute("a:n", handoff_effect(), practitioner_input("29:prac-n"))
    assert (handoff.ok, handoff.error) == (False, "not_configured")
    none = await EffectExecutor(None, service.directory).execute("c", handoff_effect(), practitioner_input())  # type: ignore[arg-type]
    assert none.error == "not_configured"


# ---- DSL actions ----------------------------------------------------------------------------------


async def test_acknowledge_tells_the_practitioner_with_the_dsls_name(env) -> None:
    service, messenger, clock = env
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    clock.advance(minutes=2)
    reply = await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    assert "Sam Teacher has been told you acknowledged ESC-000001" in reply.text
    assert messenger.texts(PRAC_CONV) == [
        "Your DSL Alex Lead has acknowledged your request ESC-000001. They will be in touch."]
    stored = await service.escalations.get("ESC-000001")
    assert stored["status"] == "acknowledged" and stored["due_at"] is None
    assert stored["history"][-1]["name"] == "Alex Lead" and stored["history"][-1]["at"] == "2027-12-24T09:02:00.000000Z"
    # Acknowledged in time: the re-ping job sends nothing, ever.
    clock.advance(hours=2)
    assert await service.run_due() == 0
    assert len(messenger.cards(DSL_CONV)) == 1 and messenger.to(DEPUTY_CONV) == []


async def test_first_to_acknowledge_wins_then_calling_and_resolved(env) -> None:
    service, messenger, clock = env
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    late = await service.act(DEPUTY, {"escalation": "ESC-000001", "action": "acknowledge"})
    assert "Acknowledged by Alex Lead" in late.text and "Nothing else was sent" in late.text
    twice = await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    assert "by you" in twice.text
    await service.act(DSL, {"escalation": "ESC-000001", "action": "calling"})
    resolved = await service.act(DSL, {"escalation": "ESC-000001", "action": "resolve",
                                       "advice": "Share with MASH\nwithout consent."})
    assert "resolved" in resolved.text
    texts = messenger.texts(PRAC_CONV)
    assert texts[1] == "Alex Lead will call you about your request ESC-000001."
    assert texts[2].startswith("Resolved: Share with MASH without consent.")
    stored = await service.escalations.get("ESC-000001")
    assert [h["status"] for h in stored["history"]] == ["requested", "acknowledged", "calling", "resolved"]
    again = await service.act(DSL, {"escalation": "ESC-000001", "action": "calling"})
    assert "already resolved" in again.title


async def test_only_that_organisations_dsls_may_act(env) -> None:
    service, messenger, _ = env
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    for stranger in (Actor("29:prac-2", "Other Teacher"), Actor("29:dsl-n", "Other School's DSL")):
        reply = await service.act(stranger, {"escalation": "ESC-000001", "action": "acknowledge"})
        assert reply.title == "Only for the safeguarding lead"
        assert "only the people this request was sent to can respond" in reply.text
    missing = await service.act(DSL, {"escalation": "ESC-000999", "action": "acknowledge"})
    assert missing.title == "Only for the safeguarding lead"  # no hint whether it exists
    assert missing.text == reply.text
    assert (await service.escalations.get("ESC-000001"))["status"] == "requested"
    assert messenger.texts(PRAC_CONV) == []


async def test_other_dsls_are_told_who_took_it(env, stores) -> None:
    service, messenger, clock = env
    await stores.registrations.register("oakfield", "29:dsl-2", name="Cam Second", role="dsl")
    await stores.references.put("29:dsl-2", reference("29:dsl-2", "a:dsl-2"))
    result = await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    assert result["sent_to"] == 2
    await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    assert messenger.texts("a:dsl-2") == ["ESC-000001: acknowledged by Alex Lead at 09:00 on Fri 24 Dec 2027."]
    assert messenger.texts(DSL_CONV) == []


# ---- Re-pings -------------------------------------------------------------------------------------


async def test_no_answer_repings_dsls_and_deputies_then_tells_the_practitioner_the_mash_number(env) -> None:
    service, messenger, clock = env
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    clock.advance(minutes=14, seconds=59)
    assert await service.run_due() == 0
    clock.advance(seconds=1)  # 15 minutes
    assert await service.run_due() == 1
    assert len(messenger.cards(DSL_CONV)) == 2
    (deputy_card,) = messenger.cards(DEPUTY_CONV)
    assert "Reminder: safeguarding advice still needed" in card_text(deputy_card)
    assert messenger.texts(PRAC_CONV) == []
    clock.advance(minutes=14)
    assert await service.run_due() == 0
    clock.advance(minutes=1)  # 30 minutes
    assert await service.run_due() == 1
    (told,) = messenger.texts(PRAC_CONV)
    assert "None of your safeguarding leads has answered your request ESC-000001" in told
    assert "Cambridgeshire MASH: 0345 045 1362" in told and "call 999" in told
    clock.advance(hours=5)
    assert await service.run_due() == 0  # no more re-pings
    assert len(messenger.cards(DSL_CONV)) == 2 and len(messenger.cards(DEPUTY_CONV)) == 1
    # A DSL may still answer late, and the practitioner is told.
    await service.act(DEPUTY, {"escalation": "ESC-000001", "action": "calling"})
    assert messenger.texts(PRAC_CONV)[-1] == "Bo Deputy will call you about your request ESC-000001."


async def test_periods_are_configurable(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    settings = replace(SETTINGS, period=timedelta(minutes=2), urgent_period=timedelta(minutes=1))
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, settings=settings)
    await seed_references(stores)
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    clock.advance(minutes=2)
    assert await service.run_due() == 1 and len(messenger.cards(DEPUTY_CONV)) == 1


async def test_restart_keeps_the_schedule(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    first = make_service(stores, tmp_path, messenger=messenger, clock=clock)
    await seed_references(stores)
    await first.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    await first.close()
    # A new process on the same store (the old one is gone, with nothing in memory).
    second = make_service(stores, tmp_path, messenger=messenger, clock=clock, worker_id="w2")
    clock.advance(minutes=15)
    assert await second.run_due() == 1
    assert len(messenger.cards(DEPUTY_CONV)) == 1


async def test_a_worker_that_died_mid_send_is_covered_by_the_job(env) -> None:
    service, messenger, clock = env
    # Created, but the worker stopped before recording any send (initial_done False).
    await service.escalations.create({
        "kind": "dsl", "organisation": "oakfield", "organisation_name": "Oakfield Primary School",
        "practitioner": {"user_id": "29:prac-1", "name": "Sam Teacher", "conversation_id": PRAC_CONV},
        "summary": escalate_effect().data["summary"], "note": "", "urgent": False, "created_at": T0,
        "due_at": T0 + timedelta(seconds=60), "ping_due_at": "2027-12-24T09:15:00Z", "period_seconds": 900,
        "initial_done": False, "deliveries": [],
    }, "crashed")
    clock.advance(seconds=60)
    assert await service.run_due() == 1
    assert len(messenger.cards(DSL_CONV)) == 1 and messenger.to(DEPUTY_CONV) == []
    clock.advance(minutes=14)
    assert await service.run_due() == 1  # the normal re-ping at 15 minutes
    assert len(messenger.cards(DEPUTY_CONV)) == 1


# ---- Failed sends -----------------------------------------------------------------------------------


async def test_connector_failure_is_retried_then_the_practitioner_is_told(env) -> None:
    service, messenger, clock = env
    messenger.failing.update({DSL_CONV, DEPUTY_CONV})  # nobody at Oakfield can be reached
    result = await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    assert result == {"id": "ESC-000001", "sent_to": 0, "pending": True}
    assert messenger.attempts == 6  # three quick tries in the turn to the DSL, then to the deputy
    clock.advance(seconds=30)
    assert await service.run_due() == 1
    assert messenger.attempts == 8
    clock.advance(seconds=59)
    assert await service.run_due() == 0
    clock.advance(seconds=1)
    assert await service.run_due() == 1  # the last try
    (told,) = messenger.texts(PRAC_CONV)
    assert "I couldn't reach your DSL with your request ESC-000001" in told
    assert "to them or to the deputy DSLs" in told
    assert "Cambridgeshire MASH: 0345 045 1362" in told and "call 999" in told
    stored = await service.escalations.get("ESC-000001")
    assert stored["status"] == "undeliverable" and stored["deliveries"][0]["attempts"] == 5
    clock.advance(hours=1)
    assert await service.run_due() == 0
    assert len(messenger.texts(PRAC_CONV)) == 1


async def test_a_notice_that_fails_is_kept_and_retried_with_backoff_across_a_restart(stores, tmp_path) -> None:
    messenger, clock = RecordingMessenger(failing={DSL_CONV, DEPUTY_CONV, PRAC_CONV}), FakeClock()
    first = make_service(stores, tmp_path, messenger=messenger, clock=clock)
    await seed_references(stores)
    await first.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    clock.advance(seconds=30)
    await first.run_due()
    clock.advance(seconds=60)
    await first.run_due()  # the last try: undeliverable; the notice is tried and fails too
    assert (await stores.escalations.get("ESC-000001"))["status"] == "undeliverable"
    assert messenger.texts(PRAC_CONV) == []
    await first.close()
    # A new process: only the store knows the practitioner has not been told.
    second = make_service(stores, tmp_path, messenger=messenger, clock=clock, worker_id="w2")
    try:
        tries = messenger.attempts
        clock.advance(seconds=30)
        await second.run_due()
        assert messenger.attempts == tries + 1 and messenger.texts(PRAC_CONV) == []  # fails again: next in 60 s
        messenger.failing.discard(PRAC_CONV)
        clock.advance(seconds=59)
        await second.run_due()
        assert messenger.attempts == tries + 1
        clock.advance(seconds=1)
        await second.run_due()
        (told,) = messenger.texts(PRAC_CONV)
        assert "I couldn't reach your DSL with your request ESC-000001" in told and "0345 045 1362" in told
        clock.advance(hours=3)
        await second.run_due()
        assert len(messenger.texts(PRAC_CONV)) == 1  # sent once
    finally:
        await second.close()


async def test_a_dsl_answer_the_practitioner_missed_is_sent_when_teams_recovers(env) -> None:
    service, messenger, clock = env
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    messenger.failing.add(PRAC_CONV)
    reply = await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    assert "could not reach Sam Teacher in Teams" in reply.text and "keep trying" in reply.text
    messenger.failing.clear()
    clock.advance(seconds=30)
    await service.run_due()
    assert messenger.texts(PRAC_CONV) == [
        "Your DSL Alex Lead has acknowledged your request ESC-000001. They will be in touch."]
    clock.advance(hours=1)
    await service.run_due()
    assert len(messenger.texts(PRAC_CONV)) == 1


async def test_a_retry_that_gets_through_is_not_reported_as_a_failure(env) -> None:
    service, messenger, clock = env
    messenger.failing.add(DSL_CONV)
    await service.handle_effect(PRAC_CONV, escalate_effect(), practitioner_input())
    messenger.failing.clear()
    clock.advance(seconds=30)
    assert await service.run_due() == 1
    assert len(messenger.cards(DSL_CONV)) == 1 and messenger.texts(PRAC_CONV) == []
    stored = await service.escalations.get("ESC-000001")
    assert stored["deliveries"][0]["status"] == "sent" and stored["due_at"] == "2027-12-24T09:15:00.000000Z"


# ---- MASH hand-off ------------------------------------------------------------------------------------


async def test_handoff_goes_to_the_channel_and_the_webhook_with_the_callback_time(stores, tmp_path, webhook) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, webhook_url=webhook.url)
    await stores.references.put(f"channel:{MASH_CHANNEL}", reference("", MASH_CHANNEL))
    try:
        result = await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
    finally:
        await service.close()
    assert result["id"] == "HO-000001"
    assert result["callback_by_text"] == "5pm on Wednesday 29 December 2027"
    assert result["callback_by"].startswith("2027-12-29T17:00:00")
    (card,) = messenger.cards(MASH_CHANNEL)
    text = card_text(card)
    for expected in ("Professional consultation requested", "HO-000001", "Sam Teacher", "Oakfield Primary",
                     "Class teacher", "01234 567890", "Repeated unexplained injuries",
                     "Not sought: It would put the child at increased risk", "URGENT",
                     "5pm on Wednesday 29 December 2027"):
        assert expected in text, expected
    ((headers, body),) = webhook.received
    packet = json.loads(body)
    assert packet["id"] == "HO-000001" and packet["referrer"]["phone"] == "01234 567890"
    assert packet["consent"]["status"] == "not_sought" and packet["urgent"] is True
    assert packet["callback_by_text"] == "5pm on Wednesday 29 December 2027"
    assert set(packet) == {"type", "id", "organisation", "partnership", "referrer", "concern", "consent",
                           "urgent", "summary", "requested_at", "callback_by", "callback_by_text"}
    expected_sig = hmac.new(b"s3cret-key", body, hashlib.sha256).hexdigest()
    assert headers["X-ShareSafe-Signature"] == f"sha256={expected_sig}"
    assert headers["Idempotency-Key"] == "HO-000001"


async def test_handoff_over_easter_callback(stores, tmp_path, webhook) -> None:
    clock = FakeClock(now=T0.replace(year=2025, month=4, day=17, hour=10))  # Thursday before Good Friday
    service = make_service(stores, tmp_path, messenger=RecordingMessenger(), clock=clock, webhook_url=webhook.url)
    try:
        result = await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
    finally:
        await service.close()
    assert result["callback_by_text"] == "5pm on Tuesday 22 April 2025"


async def test_handoff_failures(stores, tmp_path, webhook) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    webhook.status = 500
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, webhook_url=webhook.url)
    try:
        # Channel has no stored reference and the webhook answers 500: undeliverable, and said so.
        with pytest.raises(EscalationFailed) as failed:
            await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
        assert failed.value.error == "undeliverable"
        assert len(webhook.received) == 3  # retried
        (esc,) = await service.escalations.list(kind="mash")
        assert esc["status"] == "undeliverable"
        assert {d["error"] for d in esc["deliveries"]} == {"no_reference", "http 500"}
        # The same request again (Teams retry) says the same, sends nothing more.
        with pytest.raises(EscalationFailed):
            await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
        assert len(webhook.received) == 3
        # No MASH configured for this organisation.
        with pytest.raises(EscalationFailed) as failed:
            await service.handle_effect("a:n", handoff_effect(), practitioner_input("29:prac-n"))
        assert failed.value.error == "not_configured"
    finally:
        await service.close()


async def test_a_channel_post_that_fails_is_retried_when_the_webhook_got_it(stores, tmp_path, webhook) -> None:
    messenger, clock = RecordingMessenger(failing={MASH_CHANNEL}), FakeClock()
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, webhook_url=webhook.url)
    await stores.references.put(f"channel:{MASH_CHANNEL}", reference("", MASH_CHANNEL))
    try:
        result = await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
        assert result["id"] == "HO-000001" and len(webhook.received) == 1
        (esc,) = await service.escalations.list(kind="mash")
        assert {d["to"]: d["status"] for d in esc["deliveries"]} == {f"channel:{MASH_CHANNEL}": "retrying",
                                                                     "webhook": "sent"}
        clock.advance(seconds=30)
        await service.run_due()  # still failing: next try in 60 s
        assert messenger.cards(MASH_CHANNEL) == []
        messenger.failing.clear()
        clock.advance(seconds=59)
        await service.run_due()
        assert messenger.cards(MASH_CHANNEL) == []
        clock.advance(seconds=1)
        await service.run_due()
        (card,) = messenger.cards(MASH_CHANNEL)
        assert "HO-000001" in card_text(card) and "Repeated unexplained injuries" in card_text(card)
        (esc,) = await service.escalations.list(kind="mash")
        assert {d["status"] for d in esc["deliveries"]} == {"sent"}
        clock.advance(hours=1)
        await service.run_due()
        assert len(messenger.cards(MASH_CHANNEL)) == 1 and len(webhook.received) == 1
    finally:
        await service.close()


async def test_a_webhook_that_fails_is_retried_when_the_channel_got_it_then_given_up(stores, tmp_path, webhook) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    webhook.status = 500
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, webhook_url=webhook.url)
    await stores.references.put(f"channel:{MASH_CHANNEL}", reference("", MASH_CHANNEL))
    try:
        result = await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
        assert result["id"] == "HO-000001" and len(messenger.cards(MASH_CHANNEL)) == 1
        assert len(webhook.received) == 3  # the quick tries
        clock.advance(seconds=30)
        await service.run_due()
        assert len(webhook.received) == 4
        assert webhook.received[-1][0]["Idempotency-Key"] == "HO-000001"  # MASH can de-duplicate
        clock.advance(seconds=60)
        await service.run_due()  # the last background try
        assert len(webhook.received) == 5
        (esc,) = await service.escalations.list(kind="mash")
        webhook_delivery = next(d for d in esc["deliveries"] if d["to"] == "webhook")
        assert (webhook_delivery["status"], webhook_delivery["error"], webhook_delivery["attempts"]) == (
            "failed", "http 500", 5)
        assert esc["status"] == "requested"  # MASH has it in its channel
        clock.advance(hours=1)
        await service.run_due()
        assert len(webhook.received) == 5
    finally:
        await service.close()


async def test_webhook_works_alone_and_mash_can_act_from_the_channel(stores, tmp_path, webhook) -> None:
    messenger, clock = RecordingMessenger(), FakeClock()
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock, webhook_url=webhook.url)
    await stores.references.put(f"conv:{PRAC_CONV}", reference("29:prac-1", PRAC_CONV))
    try:
        result = await service.handle_effect(PRAC_CONV, handoff_effect(), practitioner_input())
        assert result["id"] == "HO-000001" and len(webhook.received) == 1
        social_worker = Actor("29:sw", "Dana Social", conversation_id=f"{MASH_CHANNEL};messageid=1",
                              channel_id=MASH_CHANNEL, shared=True)
        reply = await service.act(social_worker, {"escalation": "HO-000001", "action": "calling"})
        assert "will call them" in reply.text
        assert messenger.texts(PRAC_CONV) == ["Dana Social from MASH will call you about your consultation request HO-000001."]
        outsider = await service.act(Actor("29:dsl-1", "Alex Lead"), {"escalation": "HO-000001", "action": "resolve"})
        assert "only the people this request was sent to" in outsider.text
        view = await service.overview(social_worker)
        assert view.facts[0][0] == "HO-000001" and "calling back by Dana Social" in view.facts[0][1]
    finally:
        await service.close()


# ---- Views, registration, references ----------------------------------------------------------------


async def test_overview_for_dsls_and_practitioners(env) -> None:
    service, _, clock = env
    await service.handle_effect(PRAC_CONV, escalate_effect("dsl:1"), practitioner_input())
    clock.advance(minutes=1)
    await service.handle_effect("a:prac-2", escalate_effect("dsl:1", urgent=True), practitioner_input("29:prac-2", "Kim Nurse"))
    await service.act(DSL, {"escalation": "ESC-000001", "action": "acknowledge"})
    view = await service.overview(DSL)
    assert view.title == "Requests: Oakfield Primary School"
    assert [f[0] for f in view.facts] == ["ESC-000002", "ESC-000001"]
    assert "DSL request (urgent) from Kim Nurse at 09:01 on Fri 24 Dec 2027" in view.facts[0][1]
    assert "requested, not yet acknowledged (sent to 1)" in view.facts[0][1]
    assert "acknowledged by Alex Lead at 09:01 on Fri 24 Dec 2027" in view.facts[1][1]
    own = await service.overview(Actor("29:prac-1", "Sam Teacher"))
    assert [f[0] for f in own.facts] == ["ESC-000001"]
    nobody = await service.overview(Actor("29:stranger"))
    assert "no requests" in nobody.text
    assert is_overview_command("Escalations") and is_overview_command("open requests")
    assert not is_overview_command("escalate this")


async def test_register_with_join_code(env, caplog) -> None:
    service, messenger, _ = env
    caplog.set_level(logging.DEBUG)
    newcomer = Actor("29:new-dsl", "Jo Newlead", conversation_id="a:new")
    assert is_register_command("Register DSL abc") and not is_register_command("registered")
    wrong = await service.register(newcomer, "register dsl not-the-code")
    assert wrong.title == "Not registered"
    shared = await service.register(replace(newcomer, shared=True), f"register dsl {JOIN_CODE}")
    assert shared.title == "Register in a private chat"
    ok = await service.register(newcomer, f"register deputy {JOIN_CODE}")
    assert ok.title == "Registered as deputy DSL" and "Oakfield Primary School" in ok.text
    assert service.directory.is_dsl("29:new-dsl", "oakfield")
    assert [m.user_id for m in service.directory.members_of("oakfield", "deputy")] == ["29:dep-1", "29:new-dsl"]
    assert JOIN_CODE not in caplog.text and "not-the-code" not in caplog.text
    (row,) = await service.registrations.registrations()
    assert row == {**row, "organisation": "oakfield", "user_id": "29:new-dsl", "name": "Jo Newlead", "role": "deputy"}


async def test_register_is_rate_limited(env) -> None:
    service, _, _ = env
    guesser = Actor("29:guess", "Guess")
    for n in range(5):
        assert (await service.register(guesser, f"register dsl guess-{n:04d}")).title == "Not registered"
    blocked = await service.register(guesser, f"register dsl {JOIN_CODE}")
    assert blocked.title == "Too many tries"


async def test_join_code_lockout_holds_across_workers_and_restarts(stores, tmp_path) -> None:
    clock = FakeClock()
    workers = [make_service(stores, tmp_path, messenger=RecordingMessenger(), clock=clock, worker_id=f"w{i}")
               for i in range(2)]
    guesser = Actor("29:guess", "Guess")
    try:
        for n in range(5):  # spread over two workers
            assert (await workers[n % 2].register(guesser, f"register dsl guess-{n:04d}")).title == "Not registered"
        restarted = make_service(stores, tmp_path, messenger=RecordingMessenger(), clock=clock, worker_id="w9")
        workers.append(restarted)
        for worker in workers:
            assert (await worker.register(guesser, f"register dsl {JOIN_CODE}")).title == "Too many tries"
        other = await workers[0].register(Actor("29:someone-else", "Jo"), f"register dsl {JOIN_CODE}")
        assert other.title == "Registered as DSL"  # only the guesser is locked out
        clock.advance(minutes=14, seconds=59)
        assert (await restarted.register(guesser, f"register dsl {JOIN_CODE}")).title == "Too many tries"
        clock.advance(seconds=1)  # 15 minutes
        assert (await restarted.register(guesser, f"register dsl {JOIN_CODE}")).title == "Registered as DSL"
    finally:
        for worker in workers:
            await worker.close()


async def test_registered_dsl_from_another_worker_gets_pinged(env, stores) -> None:
    service, messenger, _ = env
    # Registered through another worker: only in the store, not in this worker's memory.
    await stores.registrations.register("riverside", "29:dsl-r", name="Riv Lead", role="dsl")
    await stores.registrations.register("nowhere", "29:dsl-x", name="Ghost", role="dsl")  # unknown org: ignored
    await stores.references.put("29:dsl-r", reference("29:dsl-r", "a:dsl-r"))
    result = await service.handle_effect("a:r", escalate_effect(), practitioner_input("29:prac-r"))
    assert result["sent_to"] == 1 and len(messenger.cards("a:dsl-r")) == 1


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_a_dsl_registered_on_one_worker_is_a_dsl_on_the_other(backend, request, tmp_path) -> None:
    redis_url = request.getfixturevalue("redis_server").url if backend == "redis" else None
    opened = [await open_stores(redis_url=redis_url, data_dir=str(tmp_path / "data")) for _ in range(2)]
    workers = [make_service(s, tmp_path, messenger=RecordingMessenger(), clock=FakeClock(), worker_id=f"w{i}")
               for i, s in enumerate(opened)]
    try:
        first, second = workers
        newcomer = Actor("29:new-dsl", "Jo Newlead", conversation_id="a:new")
        assert (await first.register(newcomer, f"register dsl {JOIN_CODE}")).title == "Registered as DSL"
        await opened[0].registrations.register("nowhere", "29:ghost", name="Ghost", role="dsl")  # not in the file
        assert not second.directory.is_dsl("29:new-dsl", "oakfield")  # not yet read on the other worker
        await second.refresh_directory()
        assert second.directory.is_dsl("29:new-dsl", "oakfield")
        assert second.directory.organisation_of("29:new-dsl") == "oakfield"
        assert [m.user_id for m in second.directory.members_of("oakfield", "dsl")] == ["29:dsl-1", "29:new-dsl"]
        assert second.directory.organisation_of("29:ghost") == ""
        # What the file said is never changed by a registration.
        assert "29:new-dsl" not in second.directory.organisations["oakfield"].dsls
    finally:
        for worker in workers:
            await worker.close()
        for s in opened:
            await s.close()


async def test_references_are_stored_once_per_change(env, stores) -> None:
    service, _, _ = env
    # A message from the practitioner's 1:1 chat: kept under "conv:a:1" and their user id.
    await service.remember_conversation(ConversationRef.from_dict(reference("29:u", "a:1")), user_id="29:u")
    await stores.references.put("29:u", {"replaced": True})  # behind the cache's back
    await service.remember_conversation(ConversationRef.from_dict(reference("29:u", "a:1")), user_id="29:u")  # unchanged: no write
    assert await stores.references.get("29:u") == {"replaced": True}
    await service.remember_conversation(ConversationRef.from_dict(reference("29:u", "a:2")), user_id="29:u")
    assert (await stores.references.get("29:u"))["conversation_id"] == "a:2"


def test_directory_validation(tmp_path) -> None:
    path = write_directory(tmp_path)
    directory = FileDirectory.load(path, environ=ENVIRON)
    assert directory.organisation_for_code(JOIN_CODE) == "oakfield"
    assert directory.organisation_for_code(f"  {JOIN_CODE} ") == "oakfield"
    assert directory.organisation_for_code("oak-tree-4728") is None
    assert directory.mash_for("oakfield").channel == MASH_CHANNEL
    assert not directory.mash_for("nomash").configured
    assert directory.members_of("oakfield", "dsl")[0].name == "Alex Lead"
    with pytest.raises(DirectoryError, match="at least 8"):
        FileDirectory.load(path, environ={"SHARESAFE_JOIN_CODE_OAKFIELD": "short"})
    with pytest.raises(DirectoryError, match="same join code"):
        FileDirectory.load(path, environ={**ENVIRON, "SHARESAFE_JOIN_CODE_RIVERSIDE": JOIN_CODE})
    with pytest.raises(DirectoryError, match="https"):
        FileDirectory.load(write_directory(tmp_path, webhook="http://mash.example.org/hook"), environ=ENVIRON)
    hashed = tmp_path / "hashed.yaml"
    hashed.write_text(f"organisations:\n  a:\n    name: A\n    join_code_sha256: {code_hash('letmein-please')}\n")
    assert FileDirectory.load(hashed, environ={}).organisation_for_code("letmein-please") == "a"
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisations:\n  a:\n    partnership: nope\n")
    with pytest.raises(DirectoryError, match="partnership 'nope'"):
        FileDirectory.load(bad, environ={})


# ---- The engine's side of "still trying" -----------------------------------------------------------


def test_engine_says_still_trying_when_the_send_is_pending() -> None:
    chat = EngineChat(load_builtin("national-2018"))
    chat.say("hello")
    chat.tap("dsl")
    chat.tap("-")
    chat.tap("routine")
    chat.tap("confirm")
    (reply,) = chat.settle(chat.effects[0], ok=True, id="ESC-000001", sent_to=0, pending=True)
    assert reply.title == "Still trying to reach your DSL" and "999" in reply.text
    assert chat.state["escalations"] == ["ESC-000001"]


# ---- Two workers on a real Redis ------------------------------------------------------------------


async def test_two_workers_on_redis_send_each_reping_once(redis_server: RedisServer, tmp_path: Path) -> None:
    opened = [await open_stores(redis_url=redis_server.url, data_dir=str(tmp_path)) for _ in range(2)]
    messenger, clock = RecordingMessenger(), FakeClock()
    workers = [make_service(s, tmp_path, messenger=messenger, clock=clock, worker_id=f"w{i}")
               for i, s in enumerate(opened)]
    try:
        await seed_references(opened[0])
        for n in range(5):
            await opened[1].references.put(f"conv:a:prac-{n}", reference("29:prac-1", f"a:prac-{n}"))
        for n in range(5):
            await workers[n % 2].handle_effect(f"a:prac-{n}", escalate_effect(f"dsl:{n}"), practitioner_input())
        clock.advance(minutes=15)
        counts = await asyncio.gather(*(w.run_due() for w in workers for _ in range(3)))
        assert sum(counts) == 5
        assert len(messenger.cards(DEPUTY_CONV)) == 5  # one reminder per escalation, not one per worker
        assert len(messenger.cards(DSL_CONV)) == 10
        # Restart Redis (AOF): the schedule survives, and the next stage still happens once.
        redis_server.stop()
        redis_server.start()
        clock.advance(minutes=15)
        counts = await asyncio.gather(*(w.run_due() for w in workers for _ in range(3)))
        assert sum(counts) == 5
        for n in range(5):
            (told,) = messenger.texts(f"a:prac-{n}")
            assert f"request ESC-00000{n + 1} yet" in told
    finally:
        for worker in workers:
            await worker.close()
        for s in opened:
            await s.close()
