"""What the practitioner is told about their request, in words: who answered, that nobody could be
reached, that nobody has answered yet, and who to phone instead. Pure text from the escalation and
the pack's contacts; sending is bot/escalation/delivery.py, queueing bot/escalation/jobs.py."""

from __future__ import annotations

from typing import Any, Mapping

from bot.escalation.machine import ANSWERS, PHASES, WAITING_STATUS, answer_status, reached
from dialogs.pack import Pack

# Which lifecycle states each queued notice still applies in (checked again when it is sent, so a
# DSL who answered meanwhile is never contradicted).
UNREACHABLE_APPLIES = frozenset({WAITING_STATUS, PHASES["undeliverable"].status})
ANSWERED_STATUSES = frozenset(answer_status(t) for t in ANSWERS)


def contacts_text(esc: Mapping[str, Any], packs: Mapping[str, Pack], default_pack: str) -> str:
    """The partnership's MASH and out-of-hours numbers from the pack the practitioner used."""
    pack_id = ((esc.get("summary") or {}).get("pack") or {}).get("id") or default_pack
    pack = packs.get(pack_id) or packs.get(default_pack)
    lines = []
    for name in ("mash", "out_of_hours"):
        contact = pack.contacts.get(name) if pack else None
        if isinstance(contact, Mapping) and contact.get("phone"):
            lines.append(f"- {contact.get('name', name)}: {contact['phone']}")
    if not lines:
        lines.append("- your local children's social care front door (MASH), or its out-of-hours team")
    return "\n".join(lines)


def unreachable_text(esc: Mapping[str, Any], contacts: str) -> str:
    """Nobody could be reached: call the DSL directly, or these numbers."""
    deputies = any(d.get("role") == "deputy" for d in esc.get("deliveries") or [])
    return (
        f"I couldn't reach your DSL with your request {esc['id']}: Teams did not deliver it"
        f"{' to them or to the deputy DSLs' if deputies else ''}. "
        "Please call or message your DSL directly now. If you can't reach them, phone:\n"
        f"{contacts}\n\nIf a child is in immediate danger, call 999."
    )


def no_answer_text(esc: Mapping[str, Any], contacts: str) -> str:
    """Nobody answered after the re-ping: don't wait, phone."""
    deliveries = esc.get("deliveries") or []
    if not reached(deliveries):
        # Every send is still failing: nobody has seen it, so don't say nobody has answered.
        return unreachable_text(esc, contacts)
    if not reached(deliveries, "dsl"):
        first = (f"I couldn't reach your DSL in Teams, and no deputy DSL has answered your request "
                 f"{esc['id']} yet. ")
    else:
        first = f"None of your safeguarding leads has answered your request {esc['id']} yet. "
    return (
        f"{first}Don't wait any longer: call your DSL if you can, or phone:\n"
        f"{contacts}\n\nIf a child is in immediate danger, call 999."
    )


def practitioner_update(esc: Mapping[str, Any], status: str, name: str, advice: str) -> str:
    """What the practitioner is told when a DSL or MASH answers."""
    ref = esc["id"]
    if esc.get("kind") == "mash":
        return {
            "acknowledged": f"MASH ({name}) has picked up your consultation request {ref}.",
            "calling": f"{name} from MASH will call you about your consultation request {ref}.",
            "resolved": f"Resolved: {advice or 'MASH has closed the consultation.'}\n\n"
                        f"{name} from MASH closed your consultation request {ref}. "
                        "Record your decision and the advice (golden rule 7).",
        }[status]
    return {
        "acknowledged": f"Your DSL {name} has acknowledged your request {ref}. They will be in touch.",
        "calling": f"{name} will call you about your request {ref}.",
        "resolved": f"Resolved: {advice or 'your DSL has closed the request.'}\n\n"
                    f"{name} answered your request {ref}. Record your decision and the advice (golden rule 7).",
    }[status]


def notice_text(esc: Mapping[str, Any], job: Mapping[str, Any], contacts: str) -> str | None:
    """The queued notice as it should read now; None when it no longer applies (say a DSL answered)."""
    notice, status = job.get("notice"), str(esc.get("status"))
    if notice == "no_answer":
        return no_answer_text(esc, contacts) if status == WAITING_STATUS else None
    if notice == "unreachable":
        return unreachable_text(esc, contacts) if status in UNREACHABLE_APPLIES else None
    if notice == "update":
        wanted = str(job.get("status", ""))
        entry = next((h for h in reversed(esc.get("history") or []) if h.get("status") == wanted), None)
        if entry is None or wanted not in ANSWERED_STATUSES:
            return None
        return practitioner_update(esc, wanted, entry.get("name") or "Your DSL", str(entry.get("note") or ""))
    return None
