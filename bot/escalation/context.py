"""What every part of the escalation service shares: the settings, who acted, the stores, the
directory and the clock (built once by EscalationService; no part builds its own)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Mapping, Sequence

from bot.escalation.directory import FileDirectory, Member
from bot.escalation.machine import Timing
from dialogs.pack import Pack
from state.interfaces import EscalationStore, ReferenceStore, RegistrationStore

SYSTEM = "sharesafe"


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
class Actor:
    """Who pressed a button or typed a bot-level command, and where."""

    user_id: str
    name: str = ""
    aad_object_id: str = ""
    conversation_id: str = ""
    # The Teams channel the message came from (channelData.channel.id), if any.
    channel_id: str = ""
    shared: bool = False  # a group chat or channel

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the directory may list this person under."""
        return tuple(i for i in (self.user_id, self.aad_object_id) if i)


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
        """Merge the registered DSLs into the directory (other workers' registrations too)."""
        self.directory.apply_registrations(await self.registrations.registrations())

    def mash_member(self, actor: Actor, org_id: str) -> bool:
        """True when the actor speaks for the organisation's MASH (its channel, or a listed member)."""
        destination = self.directory.mash_for(org_id)
        in_channel = bool(destination.channel) and (
            actor.channel_id == destination.channel or actor.conversation_id.split(";")[0] == destination.channel)
        return in_channel or any(i in destination.members for i in actor.ids)
