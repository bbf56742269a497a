""""escalations": what a DSL (their organisation's requests), MASH (its hand-offs) or a
practitioner (their own requests) sees, newest first, in a 1:1 chat."""

from __future__ import annotations

from typing import Any, Mapping

from bot.escalation import cards, machine
from bot.escalation.context import Actor, Context
from dialogs.commands import REGISTRY
from dialogs.model import Reply


def is_overview_command(text: str) -> bool:
    """True for "escalations" / "open requests" (the words are declared in dialogs/commands.py)."""
    call = REGISTRY.edge(text, None)
    return call is not None and call.name == "escalations"


def state_line(esc: Mapping[str, Any]) -> str:
    """One request in a line: what, from whom, when, and where it stands."""
    history = esc.get("history") or []
    first = history[0] if history else {}
    last = history[-1] if history else {}
    kind = "MASH consultation" if esc.get("kind") == "mash" else "DSL request"
    parts = [f"{kind}{' (urgent)' if esc.get('urgent') else ''} from {first.get('name') or 'a practitioner'}"
             f" at {cards.local_time(esc.get('created_at'))}"]
    phase = machine.phase(esc)
    if phase.waiting:
        sent = len({d['to'] for d in esc.get('deliveries') or [] if d.get('status') == machine.SENT})
        parts.append(f"requested, not yet acknowledged (sent to {sent})")
    else:
        who = last.get("name") or "ShareSafe"
        parts.append(f"{phase.label.lower()} by {who} at {cards.local_time(last.get('at'))}")
    return "; ".join(parts)


class Listing:
    """The "escalations" overview."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def overview(self, actor: Actor, *, limit: int = 15) -> Reply:
        """"escalations": a DSL sees their organisation's requests; MASH its hand-offs; others their own."""
        ctx = self.ctx
        await ctx.refresh_directory()
        directory = ctx.directory
        orgs = [o for o in directory.organisations if any(directory.is_dsl(i, o) for i in actor.ids)]
        if actor.shared:
            # Colleagues can read a group chat: only the MASH channel sees its own hand-offs there.
            orgs = []
            if not any(ctx.mash_member(actor, o) for o in directory.organisations):
                return Reply(kind="info", title="Ask in a private chat",
                             text='Requests are confidential. Type "escalations" in a 1:1 chat with ShareSafe.')
        rows: list[dict[str, Any]] = []
        scope = ""
        for org_id in orgs:
            rows += await ctx.escalations.list(organisation=org_id, limit=limit)
        if orgs:
            scope = ", ".join(directory.organisations[o].name for o in orgs)
        mash_orgs = [o for o in directory.organisations
                     if directory.mash_for(o).configured and ctx.mash_member(actor, o)]
        if mash_orgs:
            for org_id in mash_orgs:
                rows += [r for r in await ctx.escalations.list(organisation=org_id, kind="mash", limit=limit)
                         if r["id"] not in {x["id"] for x in rows}]
            scope = scope or "MASH hand-offs"
        if not orgs and not mash_orgs:
            org_id = directory.organisation_of(actor.ids)
            if org_id:
                rows = [r for r in await ctx.escalations.list(organisation=org_id, limit=200)
                        if (r.get("practitioner") or {}).get("user_id") == actor.user_id][:limit]
            scope = "your requests"
        rows.sort(key=lambda r: r.get("created_at", ""), reverse=True)
        rows = rows[:limit]
        if not rows:
            return Reply(kind="info", title="Requests", text=f"There are no requests ({scope}).")
        facts = tuple((r["id"], state_line(r)) for r in rows)
        return Reply(kind="info", title=f"Requests: {scope}",
                     text="Newest first. Requested, acknowledged or resolved; who and when.", facts=facts)
