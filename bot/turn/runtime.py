"""Building what a turn needs, once per process, each object given its collaborators when it is
made: the stores, the packs and directory, the turn runner and its effects, and (with a channel's
Messenger) the reply outbox and the escalation service. The server, the terminal chat and the
scenario runner all build it here, so they run the very same turns; nothing here knows a channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from bot.channels.reference import Messenger
from bot.config import Settings
from bot.escalation.directory import FileDirectory
from bot.escalation.service import EscalationService, EscalationSettings
from bot.turn.delivery import REPLIES_JOB, DeliveryNotes, Rebuild, ReplyDelivery
from bot.turn.runner import TurnRunner, build_runner, load_packs


@dataclass
class Runtime:
    """Everything a turn needs, built once per process with each collaborator passed in."""

    stores: Any  # as the turns use them (behind the metrics, when there are metrics)
    runner: TurnRunner
    escalation: EscalationService | None = None
    delivery: ReplyDelivery | None = None


def escalation_settings(settings: Settings) -> EscalationSettings:
    """The escalation periods and re-ping interval from the deployment's settings."""
    return EscalationSettings(
        period=timedelta(minutes=settings.ESCALATION_MINUTES),
        urgent_period=timedelta(minutes=settings.ESCALATION_URGENT_MINUTES),
        poll_seconds=float(settings.REPING_POLL_SECONDS),
    )


def build_runtime(settings: Settings, stores: Any, *, messenger: Messenger | None = None,
                  rebuild: Rebuild | None = None, wrap_stores: Callable[[Any], Any] | None = None,
                  on_filed: Callable[[str], None] | None = None) -> Runtime:
    """The runner on the stores; with a channel's messenger also the reply outbox and (when the
    stores have escalations) the escalation service the runner's effects ask. `wrap_stores` puts
    the stores behind the metrics; `on_filed` is told every record filed."""
    if wrap_stores is not None:
        stores = wrap_stores(stores)
    directory = FileDirectory.load(settings.DIRECTORY)
    packs = load_packs(settings.PACK, directory, settings.PACKS_DIR)
    notes = DeliveryNotes(getattr(stores, "deliveries", None))
    escalations = getattr(stores, "escalations", None)
    delivery = escalation = None
    if messenger is not None:
        # Undelivered replies are retried by the same durable job outbox as DSL notices.
        delivery = ReplyDelivery(notes, stores.conversations, jobs=escalations, messenger=messenger,
                                 rebuild=rebuild, references=getattr(stores, "references", None))
        # Stores built by hand without the escalation stores (some tests) run without escalation.
        if escalations is not None:
            escalation = EscalationService(
                escalations=escalations, references=stores.references, registrations=stores.registrations,
                directory=directory, packs=packs, default_pack=settings.PACK, messenger=messenger,
                settings=escalation_settings(settings), job_handlers={REPLIES_JOB: delivery.run_job})
    runner = build_runner(stores=stores, pack_id=settings.PACK, directory=directory, packs=packs,
                          escalate=escalation.handle_effect if escalation is not None else None,
                          on_filed=on_filed, notes=notes)
    return Runtime(stores, runner, escalation, delivery)


async def stores_for(settings: Settings) -> Any:
    """Open the stores the settings name (Redis when REDIS_URL is set, else SQLite in DATA_DIR)."""
    from state.factory import open_stores

    return await open_stores(redis_url=settings.REDIS_URL, data_dir=settings.DATA_DIR,
                             idle_ttl_seconds=settings.IDLE_TTL, record_keys=settings.RECORD_KEYS,
                             chain_keys=settings.CHAIN_KEYS)


async def open_runtime(settings: Settings, stores: Any = None) -> tuple[Any, TurnRunner]:
    """Open the stores the settings name (unless given) and build the turn runner alone on them
    (no channel: nothing can be sent but a turn's own replies), as the scenario runner needs."""
    owns = stores is None
    if stores is None:
        stores = await stores_for(settings)
    try:
        return stores, build_runtime(settings, stores).runner
    except BaseException:
        if owns:
            await stores.close()
        raise
