"""The terminal channel: the same turns as Teams, typed at a prompt (`python -m bot chat`), as text or JSON lines."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import datetime, timezone
from typing import Any, TextIO

from bot.config import Settings

QUIT_WORDS = frozenset({"quit", "exit"})
PROMPT = "> "


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _input_for(line: str, user: Any) -> Any:
    """A typed line, or a card submit when the line is a JSON object such as {"choice": "yes"}."""
    from dialogs.model import UserInput

    text, value = line, None
    if line.lstrip().startswith("{"):
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, dict):
            text, value = "", parsed
    # A fresh id a line: effect keys (no double filing) are built from it.
    return UserInput(text=text, value=value, now=_now(), user=user, activity_id=f"terminal-{uuid.uuid4().hex}")


def _effects_json(outcome: Any) -> list[dict[str, Any]]:
    results = {id(r.effect): r for r in getattr(outcome, "results", [])}
    out = []
    for effect in getattr(outcome, "effects", []):
        item = effect.to_json()
        result = results.get(id(effect))
        if result is None:
            result = next((r for r in getattr(outcome, "results", []) if r.effect == effect), None)
        if result is not None:
            item["result"] = {"ok": result.ok, "data": dict(result.data), "error": result.error}
        out.append(item)
    return out


class TerminalMessenger:
    """The terminal reaches no other chat: a DSL's ping or a notice to a practitioner is not sent
    from here, so the escalation service says so (and its job keeps trying, from a server that
    shares the store)."""

    async def send(self, reference: Any, activity: Any) -> str | None:
        """Never delivered from a terminal."""
        from bot.channels.reference import DeliveryFailed

        raise DeliveryFailed("no other chat is reachable from the terminal")

    async def update(self, reference: Any, activity_id: str, activity: Any) -> None:
        """Never delivered from a terminal."""
        await self.send(reference, activity)


async def _open(settings: Settings) -> tuple[Any, Any, Any]:
    """The stores, the turn runner and the escalation service, built as the server builds them."""
    from bot.turn.runtime import build_runtime, stores_for
    from state.interfaces import StoreUnavailable

    stores = await stores_for(settings)
    try:
        runtime = build_runtime(settings, stores, messenger=TerminalMessenger())
    except BaseException:
        await stores.close()
        raise
    if runtime.escalation is not None:
        try:
            await runtime.escalation.refresh_directory()  # DSLs who registered with a join code
        except StoreUnavailable:
            pass  # each DSL command loads them again
    return runtime.stores, runtime.runner, runtime.escalation


async def chat(settings: Settings, *, user: str, conversation: str | None, as_json: bool,
               stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Run the same turns as Teams in a terminal: text replies, or JSON lines for scripts."""
    from bot.channels.commands import run_edge_command
    from bot.channels.text import render_text
    from bot.escalation.service import Actor
    from dialogs.model import Practitioner, UserInput

    stores, runner, escalation = await _open(settings)
    conversation_id = conversation or f"terminal:{user}"
    who = Practitioner(user_id=user, name=user)
    actor = Actor(user_id=user, name=user, conversation_id=conversation_id)

    async def turn(inp: UserInput) -> None:
        # The registry's edge commands first, exactly as the Teams handler runs them.
        handled = await run_edge_command(escalation, actor, inp.text, inp.value)
        if handled is not None:
            outcome, replies = None, [handled]
        elif hasattr(runner, "run_turn"):
            outcome = await runner.run_turn(conversation_id, inp)
            replies = outcome.replies
        else:
            outcome, replies = None, await runner.run(conversation_id, inp)
        if as_json:
            effects = _effects_json(outcome)
            for n, reply in enumerate(replies):
                last = n == len(replies) - 1
                obj = reply.to_json()
                # The turn's effects ride on its last line; "last" tells a script the turn is over.
                obj["effects"] = effects if last else []
                obj["last"] = last
                stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
            stdout.flush()
        else:
            for reply in replies:
                stdout.write(render_text(reply) + "\n\n")
            stdout.flush()

    try:
        if not as_json:
            # A person at a terminal sees where they are; a script sends its own first line.
            await turn(UserInput(text="", now=_now(), user=who))
        while True:
            if not as_json:
                stdout.write(PROMPT)
                stdout.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            line = line.rstrip("\r\n")
            if line.strip().lower() in QUIT_WORDS:
                break
            await turn(_input_for(line, who))
    finally:
        if escalation is not None:
            await escalation.close()
        await stores.close()
    return 0
