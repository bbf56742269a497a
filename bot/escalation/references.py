"""Where proactive messages go: the conversation references kept for each DSL, MASH channel and
practitioner (channel-neutral: bot/channels/reference.py)."""

from __future__ import annotations

import json
import logging
from typing import Any, Mapping

from bot.channels.reference import ConversationRef
from bot.escalation.context import Context

log = logging.getLogger("sharesafe.escalation")

_REFERENCE_CACHE = 2048


def reference_keys(
    *, conversation_id: str, user_id: str, aad_object_id: str = "", conversation_type: str = "", channel_id: str = ""
) -> list[str]:
    """The keys a conversation reference is stored under.

    A person's own key (their user id, and "aad:<object id>") only ever points to a 1:1 chat, so
    a DSL's ping can never land in a channel; a channel is "channel:<id>"; every conversation is
    also "conv:<id>", where the practitioner is told about their request.
    """
    keys = [f"conv:{conversation_id}"]
    if (conversation_type or "personal").lower() == "personal":
        keys.append(user_id)
        if aad_object_id:
            keys.append(f"aad:{aad_object_id}")
    if channel_id:
        keys.append(f"channel:{channel_id}")
    return keys


class References:
    """Keeps and forgets conversation references (writing only what changed)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._stored: dict[str, str] = {}

    async def remember_conversation(self, reference: ConversationRef, *, force: bool = False, **where: str) -> None:
        """Keep the reference of the conversation an activity came from, for proactive messages
        (`where`: reference_keys' user and conversation fields; `force`: write even if this worker
        stored the same before, e.g. on a new installation)."""
        base = reference.with_activity("")
        if not base.conversation_id:
            return
        by_key: dict[str, ConversationRef] = {}
        for key in reference_keys(conversation_id=base.conversation_id, **where):
            by_key[key] = base
            if key.startswith("channel:"):
                # A new post in the channel, not a reply in whichever thread this came from.
                by_key[key] = base.posted_to(where["channel_id"], "channel")
        await self._remember_each(by_key, force=force)

    async def forget_conversation(self, conversation_id: str, **where: str) -> None:
        """The bot was removed from a chat or team: delete the references that pointed there, so a
        request goes to someone who can be reached rather than to a chat that is gone."""
        if not conversation_id:
            return
        keys = reference_keys(conversation_id=conversation_id, **where)
        await self.ctx.references.delete(keys)
        for key in keys:
            self._stored.pop(key, None)
        log.info("conversation references removed (the bot was uninstalled from a %s)",
                 where.get("conversation_type") or "chat")

    async def _remember_each(self, by_key: Mapping[str, ConversationRef], *, force: bool = False) -> None:
        """Write the references that changed since this worker last stored them, in one round trip."""
        changed: dict[str, dict[str, Any]] = {}
        bodies: dict[str, str] = {}
        for key, reference in by_key.items():
            stored = reference.to_dict()
            body = json.dumps(stored, sort_keys=True, default=str)
            if force or self._stored.get(key) != body:
                changed[key], bodies[key] = stored, body
        if not changed:
            return
        await self.ctx.references.put_many(changed)
        for key, body in bodies.items():
            self._stored[key] = body
            if len(self._stored) > _REFERENCE_CACHE:
                self._stored.pop(next(iter(self._stored)))
