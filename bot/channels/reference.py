"""Where a conversation is, in words no channel owns: what is stored so ShareSafe can write first
(a DSL's ping, a notice to the practitioner, replies that were not delivered), and the seam every
channel implements to send there.

A channel (bot/channels/teams/, and later bot/channels/agents/ for the Microsoft 365 Agents SDK)
turns its own conversation reference into a ConversationRef when a message arrives, and back when
it sends; the escalation service and the reply outbox only ever hold ConversationRef and Messenger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Protocol


@dataclass(frozen=True)
class ConversationRef:
    """Where to reach one conversation: no names, nothing anyone typed."""

    channel: str  # the channel's id for itself ("msteams", "webchat", ...)
    conversation_id: str
    service_url: str = ""  # where the channel takes outgoing messages
    tenant_id: str = ""
    conversation_type: str = ""  # "personal" (1:1), "groupChat", "channel"
    user_id: str = ""
    bot_id: str = ""
    activity_id: str = ""  # a message sent there, to update in place (a request's card)
    # What only its channel reads. Left out of the hash (a dict has none), still compared.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The stored form: plain JSON, empty fields left out."""
        out: dict[str, Any] = {"channel": self.channel, "conversation_id": self.conversation_id}
        for name in ("service_url", "tenant_id", "conversation_type", "user_id", "bot_id", "activity_id"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationRef:
        """A stored reference, in this form or as Bot Framework stored it before (serialised
        ConversationReference: references and retry jobs written by earlier versions keep working)."""
        if isinstance(data.get("conversation"), Mapping) or "serviceUrl" in data:
            return _from_bot_framework(data)
        extra = data.get("extra")
        return cls(channel=_text(data.get("channel")), conversation_id=_text(data.get("conversation_id")),
                   service_url=_text(data.get("service_url")), tenant_id=_text(data.get("tenant_id")),
                   conversation_type=_text(data.get("conversation_type")), user_id=_text(data.get("user_id")),
                   bot_id=_text(data.get("bot_id")), activity_id=_text(data.get("activity_id")),
                   extra=dict(extra) if isinstance(extra, Mapping) else {})

    def with_activity(self, activity_id: str) -> ConversationRef:
        """The same conversation, pointing at one message sent there."""
        return replace(self, activity_id=activity_id)

    def posted_to(self, conversation_id: str, conversation_type: str) -> ConversationRef:
        """Another conversation reached the same way (a new post in a team channel rather than a
        reply in the thread a message came from)."""
        return replace(self, conversation_id=conversation_id, conversation_type=conversation_type, activity_id="")

    @property
    def reachable(self) -> bool:
        """False when a send could not even be tried (no conversation, or nowhere to send)."""
        return bool(self.conversation_id and self.service_url)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _from_bot_framework(data: Mapping[str, Any]) -> ConversationRef:
    """A serialised Bot Framework ConversationReference (the shape stored before the channel seam)."""
    conversation = data.get("conversation") if isinstance(data.get("conversation"), Mapping) else {}
    user = data.get("user") if isinstance(data.get("user"), Mapping) else {}
    bot = data.get("bot") if isinstance(data.get("bot"), Mapping) else {}
    extra = {k: v for k, v in (("locale", data.get("locale")), ("bot_name", bot.get("name"))) if v}
    return ConversationRef(
        channel=_text(data.get("channelId")), conversation_id=_text(conversation.get("id")),
        service_url=_text(data.get("serviceUrl")),
        # botbuilder serialised the tenant as tenantID (its schema's key); Teams' own JSON says tenantId.
        tenant_id=_text(conversation.get("tenantID") or conversation.get("tenantId")),
        conversation_type=_text(conversation.get("conversationType")), user_id=_text(user.get("id")),
        bot_id=_text(bot.get("id")), activity_id=_text(data.get("activityId")), extra=extra,
    )


class DeliveryFailed(Exception):
    """A send failed: the channel refused it (4xx/5xx), the conversation is gone, or it timed out.
    `reason` is short and carries no user text; `status` is the channel's HTTP status, if any."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class Messenger(Protocol):
    """What a channel implements so ShareSafe can write first: escalations, notices, replies that
    were not delivered in their turn. `activity` is an outgoing activity as Activity Protocol JSON
    (the schema Bot Framework and the Microsoft 365 Agents SDK share)."""

    async def send(self, reference: ConversationRef, activity: Mapping[str, Any]) -> str | None:
        """Deliver it or raise DeliveryFailed; the id the channel gave it, where it gives one."""

    async def update(self, reference: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        """Replace a message sent before (a request's card, once someone acted), or raise DeliveryFailed."""
