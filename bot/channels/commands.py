"""The channels' side of the command registry: the edge commands of dialogs/commands.py (answering a
request, the requests overview, registering with a join code), run before the engine by every
channel the same way, so a DSL in the terminal gets what they get in Teams."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Mapping

from bot.logs import hash_id
from dialogs.commands import REGISTRY
from dialogs.model import Reply
from state.interfaces import StoreUnavailable

if TYPE_CHECKING:
    from bot.escalation.service import Actor

log = logging.getLogger("sharesafe.commands")

STORE_DOWN_REPLY = Reply(
    kind="error", title="ShareSafe can't reach its store",
    text="Nothing was changed. Try again in a minute. If a child is in immediate danger, call 999.",
)


async def run_edge_command(escalation: Any, actor: "Actor", text: str, value: Mapping[str, Any] | None) -> Reply | None:
    """The reply to an edge command in this message, from the escalation service the registry
    names; None when the message is not one (or there is no service), so the engine takes it."""
    call = REGISTRY.edge(text, value)
    if call is None or escalation is None or call.command.handler is None:
        return None
    try:
        return await getattr(escalation, call.command.handler)(actor, *call.args)
    except StoreUnavailable:
        log.warning("conversation %s: store unavailable for the %s command", hash_id(actor.conversation_id),
                    call.name)
        return STORE_DOWN_REPLY
