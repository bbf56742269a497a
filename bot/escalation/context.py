"""What every part of the escalation service shares: the settings, who acted, the stores, the
directory and the clock (built once by EscalationService; no part builds its own)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Mapping, Sequence

from bot.escalation.directory import FileDirectory, Member, RegisteredMembers
from bot.escalation.machine import Timing
from dialogs.model import Effect, Person, Practitioner
from dialogs.pack import Pack
from state.interfaces import EscalationStore, ReferenceStore, RegistrationStore


@dataclass(frozen=True)
class EscalationSettings:
    """How long to wait for a DSL, how hard to try a send, how often the re-ping job runs."""

    period: timedelta = timedelta(minutes=15)
    urgent_period: timedelta = timedelta(minutes=5)
    # Waits between the quick tries in the practitioner's turn (so 3 tries by default).
    quick_retry_delays: tuple[float, ...] = (0.5, 1.5)
    # Waits before each further try from the background job; after the last, the send has failed.
    retry_delays: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0)
    # Waits between tries of a notice to the practitioner from the job ("could not reach", "no
    # answer"): longer, because it tells them who to phone; after the last it is logged as lost.
    notice_retry_delays: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
    send_timeout: float = 4.0
    lease_seconds: int = 60
    poll_seconds: float = 15.0
    webhook_timeout: float = 10.0

    @property
    def timing(self) -> Timing:
        """The waits the lifecycle machine schedules with."""
        return Timing(period=self.period, urgent_period=self.urgent_period, retry_delays=self.retry_delays)


@dataclass(frozen=True)
class Actor(Person):
    """Who pressed a button or typed a bot-level command, and where."""

    conversation_id: str = ""
    # The Teams channel the message came from (channelData.channel.id), if any.
    channel_id: str = ""
    shared: bool = False  # a group chat or channel


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(timezone.utc)


@dataclass
class Context:
    """The stores, directory, packs, settings and clock every part works with."""

    escalations: EscalationStore
    references: ReferenceStore
    registrations: RegistrationStore
    directory: FileDirectory
    # The directory's cache of DSLs registered with a join code: the only part refreshed while running.
    registered: RegisteredMembers
    packs: Mapping[str, Pack]
    default_pack: str
    settings: EscalationSettings
    clock: Callable[[], datetime]
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    worker_id: str = ""

    def recipients(self, org_id: str, role: str, exclude: Sequence[str] = ()) -> list[Member]:
        """The organisation's DSLs (or deputies), without the practitioner who is asking."""
        return [m for m in self.directory.members_of(org_id, role) if m.user_id not in exclude]

    def period(self, urgent: bool) -> timedelta:
        """How long to wait for a DSL before the re-ping."""
        return self.settings.urgent_period if urgent else self.settings.period

    async def refresh_directory(self) -> None:
        """Re-read the registered DSLs (other workers' registrations too) into the directory's cache."""
        self.registered.refresh(await self.registrations.registrations())

    async def organisation_asking(self, user: Practitioner) -> str:
        """The asking practitioner's organisation, once DSLs registered since (on any worker) are read."""
        await self.refresh_directory()
        return user.organisation or self.directory.organisation_of(user.ids)

    def new_request(self, kind: str, org_id: str, conversation_id: str, effect: Effect, user: Practitioner,
                    now: datetime) -> dict[str, Any]:
        """What a DSL request and a MASH hand-off both start with: who asked, where, when, and about what."""
        org = self.directory.organisations.get(org_id)
        data = effect.data
        return {
            "kind": kind,
            "organisation": org_id,
            "organisation_name": org.name if org else "",
            "practitioner": {"user_id": user.user_id, "name": user.name, "conversation_id": conversation_id},
            "summary": dict(data.get("summary") or {}),
            # Sent although it looked identifying: the kinds only, never the words.
            "identifier_warning": dict(data.get("identifier_warning") or {}),
            "consent": dict(data.get("consent") or {}),
            "urgent": bool(data.get("urgent")),
            "requested_at": data.get("requested_at"),
            "created_at": now,
        }

    def mash_member(self, actor: Actor, org_id: str) -> bool:
        """True when the actor speaks for the organisation's MASH (its channel, or a listed member)."""
        destination = self.directory.mash_for(org_id)
        in_channel = bool(destination.channel) and (
            actor.channel_id == destination.channel or actor.conversation_id.split(";")[0] == destination.channel)
        return in_channel or any(i in destination.members for i in actor.ids)
