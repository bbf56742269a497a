"""A test fixture in the errbot style: type a message to the pure engine, pop the replies."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from dialogs import engine
from dialogs.model import EffectResult, Practitioner, Reply, UserInput
from dialogs.pack import Pack


class EngineChat:
    """Drives dialogs.engine.step turn by turn, keeping the session as the store would (JSON)."""

    def __init__(self, pack: Pack, user: str = "user-1") -> None:
        self.pack = pack
        self.state: dict[str, Any] | None = None
        self.user = Practitioner(user_id=user, name="Test Practitioner", organisation="org-1")
        self.effects: list = []
        self.clock = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def say(self, text: str = "", value: dict | None = None, activity_id: str = "") -> list[Reply]:
        """Send typed text (or a card submit value); return the bot's replies."""
        result = engine.step(self.pack, self.state, UserInput(
            text=text, value=value, now=self.clock, user=self.user, activity_id=activity_id))
        self.effects = list(result.effects)
        self.state = result.session.to_dict()
        return result.replies

    def tap(self, choice: str) -> list[Reply]:
        """Press a card button."""
        return self.say(value={"choice": choice})

    def settle(self, effect, ok: bool, **data) -> list[Reply]:
        """Report what the edge did with an effect; return the replies that produces."""
        session, replies = engine.apply(self.pack, engine.Session.from_dict(self.state), EffectResult(
            effect, ok=ok, data=data, error="" if ok else data.pop("error", "store_unavailable")))
        self.state = session.to_dict()
        return replies

    def walk(self, entry: str, answers: list[str]) -> Reply:
        """Start an entry from the menu and tap the answers; return the last reply."""
        self.say("hello")
        replies = self.tap(entry)
        for answer in answers:
            replies = self.tap(answer)
        return replies[-1]


def path_to(pack: Pack, entry: str = "share", **want: Any) -> list[str]:
    """The shortest answers from an entry to an outcome whose decision and facts match `want`
    (e.g. decision="share", consent="not_sought"; True means "set to anything", "" means "not set").

    Tests about what happens after an outcome find their walk by meaning, so a reordered flowchart
    (the sources' order, not the mechanics') does not silently test another outcome."""
    from collections import deque

    queue = deque([(pack.entries[entry], [], {})])
    while queue:
        node_id, answers, facts = queue.popleft()
        node = pack.nodes[node_id]
        if node.type != "question":
            got = {"decision": node.decision, "outcome": node.id, "lawful_basis": node.lawful_basis, **facts}
            if all((bool(got.get(k)) if v is True else got.get(k, "") == v) for k, v in want.items()):
                return answers
            continue
        if len(answers) < 20:
            for a in node.answers:
                queue.append((a.next, answers + [a.id], {**facts, **a.sets}))
    raise LookupError(f"no path in {pack.id} to an outcome with {want}")
