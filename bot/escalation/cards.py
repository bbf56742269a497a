"""The proactive messages of an escalation: the DSL's request card, the MASH hand-off card, and the
plain-text notices to the practitioner.

Everything on a card comes from the escalation as the dialog built it: the pack's own question
and answer wording, the consent status, and only the free text the practitioner typed after being
warned not to include identifying details (the DSL note; the MASH concern and referrer details).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from bot.escalation import machine
from dialogs import uk_time
from dialogs.engine import CONSENT_LABELS

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
ADVICE_MAX_LENGTH = 500

def local_time(moment: datetime | str | None) -> str:
    """'09:05 on Fri 24 Dec 2027' in England, GMT or BST as the date falls (what DSLs and practitioners read)."""
    return uk_time.time_on_day(moment)


def _block(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def _facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "spacing": "Medium",
            "facts": [{"title": title, "value": value} for title, value in pairs if value]}


def _summary_elements(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The anonymised summary: where they are stuck and the flowchart answers, in the pack's words."""
    items: list[dict[str, Any]] = []
    if summary.get("stuck_on"):
        items.append(_block("Stuck on", weight="Bolder", spacing="Medium"))
        items.append(_block(str(summary["stuck_on"]), spacing="Small"))
    if summary.get("outcome"):
        items.append(_block("Outcome so far", weight="Bolder", spacing="Medium"))
        items.append(_block(str(summary["outcome"]), spacing="Small"))
    answers = summary.get("answers") or []
    if answers:
        items.append(_block("Their answers", weight="Bolder", spacing="Medium"))
        for answer in answers:
            items.append(_block(str(answer.get("question", "")), size="Small", isSubtle=True, spacing="Small"))
            items.append(_block(str(answer.get("answer", "")), weight="Bolder", spacing="None"))
    return items


def _consent_text(consent: Mapping[str, Any] | None) -> str:
    if not consent or not consent.get("status"):
        return ""
    status = str(consent["status"])
    if status == "not_decided":
        return "Not considered yet"  # the flowchart had not reached consent when they asked
    text = CONSENT_LABELS.get(status, status.replace("_", " ").capitalize())
    if consent.get("reason"):
        text += f": {consent['reason']}"
    return text


def _pack_text(summary: Mapping[str, Any]) -> str:
    """The guidance by the title practitioners know it by (the id only for an older request)."""
    pack = summary.get("pack") or {}
    if pack.get("title"):
        return str(pack["title"])
    return f"{pack.get('id', '')} v{pack.get('version', '')}" if pack.get("id") else ""


def _last_action(escalation: Mapping[str, Any]) -> Mapping[str, Any]:
    status = escalation.get("status")
    return next((h for h in reversed(escalation.get("history") or []) if h.get("status") == status), {})


def status_banner(escalation: Mapping[str, Any], *, for_practitioner: bool = False) -> list[dict[str, Any]]:
    """Where the request stands and who acted, at the top of every copy of its card (none while
    nobody has acted): so a second DSL does not phone the same practitioner."""
    phase = machine.phase(escalation)
    if phase.waiting:
        return []
    last = _last_action(escalation)
    who = str(last.get("name") or ("ShareSafe" if phase.by_system else "someone"))
    items = [_block(f"{phase.label} by {who} at {local_time(last.get('at'))}", weight="Bolder")]
    if phase.advice_given and last.get("note"):
        items.append(_block(f"Advice: {last['note']}", spacing="Small"))
    follow_up = phase.follow_up if for_practitioner else phase.responder_follow_up
    if follow_up:
        items.append(_block(follow_up.format(who=who), spacing="Small"))
    style = "good" if phase.advice_given else "emphasis"
    return [{"type": "Container", "style": style, "bleed": True, "items": items}]


def _action_buttons(escalation: Mapping[str, Any], *, calling_label: str, advice_hint: str) -> list[dict[str, Any]]:
    escalation_id = str(escalation["id"])
    status = str(escalation.get("status") or machine.WAITING_STATUS)

    def submit(title: str, action: str, **extra: Any) -> dict[str, Any]:
        return {"type": "Action.Submit", "title": title,
                "data": {"escalation": escalation_id, "action": action}, **extra}

    resolve_form = {
        "type": "AdaptiveCard", "version": VERSION,
        "body": [{"type": "Input.Text", "id": "advice", "label": "Short advice for them",
                  "placeholder": advice_hint, "isMultiline": True, "maxLength": ADVICE_MAX_LENGTH,
                  "isRequired": True, "errorMessage": "Write a short note of your advice."}],
        "actions": [submit("Send and mark resolved", "resolve", style="positive")],
    }
    buttons = {
        "calling": submit(calling_label, "calling", style="positive"),
        "acknowledge": submit("Acknowledge", "acknowledge"),
        "resolve": {"type": "Action.ShowCard", "title": "Resolved", "card": resolve_form},
    }
    # Only what can still happen (the lifecycle's moves): no "Acknowledge" once acknowledged,
    # nothing once resolved. The button's "action" is the lifecycle's trigger.
    return [button for trigger, button in buttons.items() if status in machine.allowed_from(trigger)]


def _top(escalation: Mapping[str, Any], head: list[dict[str, Any]], urgent_line: str) -> list[dict[str, Any]]:
    """The status banner, then the heading: in a red box that says `urgent_line` when it is urgent."""
    body = status_banner(escalation)
    if escalation.get("urgent"):
        body.append({"type": "Container", "style": "attention", "bleed": True,
                     "items": head + [_block(urgent_line, weight="Bolder")]})
    else:
        body.extend(head)
    return body


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    card: dict[str, Any] = {"$schema": SCHEMA, "type": "AdaptiveCard", "version": VERSION,
                            "body": body, "msteams": {"width": "Full"}}
    if actions:
        card["actions"] = actions
    return card


def message(text: str) -> dict[str, Any]:
    """A plain-text proactive message (Bot Framework activity JSON)."""
    return {"type": "message", "text": text, "textFormat": "markdown"}


def card_message(card: dict[str, Any], summary: str) -> dict[str, Any]:
    """A proactive message carrying one Adaptive Card; `summary` is the phone notification preview."""
    return {"type": "message", "summary": summary,
            "attachments": [{"contentType": CONTENT_TYPE, "content": card}]}


def dsl_request_card(escalation: Mapping[str, Any], *, reminder: bool = False) -> dict[str, Any]:
    """The card a DSL (or, on the re-ping, a deputy) gets: who asks, the summary, the note, urgency."""
    urgent = bool(escalation.get("urgent"))
    who = (escalation.get("practitioner") or {}).get("name") or "A practitioner"
    title = "Reminder: safeguarding advice still needed" if reminder else "Safeguarding advice requested"
    head: list[dict[str, Any]] = [_block(title, weight="Bolder", size="Medium",
                                         **({"color": "Attention"} if urgent or reminder else {}))]
    if reminder:
        head.append(_block(f"No DSL has acknowledged this since {local_time(escalation.get('created_at'))}. "
                           "Please acknowledge it, or call them.", spacing="Small"))
    head.append(_block(f"{who} is asking for your advice (golden rule: seek advice when in doubt).", spacing="Small"))
    body = _top(escalation, head, "URGENT: they need advice today")
    body.append(_facts([
        ("From", str(who)),
        ("Organisation", str(escalation.get("organisation_name") or escalation.get("organisation") or "")),
        ("Reference", str(escalation.get("id", ""))),
        ("Asked", local_time(escalation.get("created_at"))),
        ("Urgency", "Urgent: today" if urgent else "Routine"),
        ("Consent", _consent_text(escalation.get("consent"))),
        ("Guidance", _pack_text(escalation.get("summary") or {})),
    ]))
    body.extend(_summary_elements(escalation.get("summary") or {}))
    note = str(escalation.get("note") or "")
    if note:
        body.append(_block(f"Note from {who}", weight="Bolder", spacing="Medium"))
        body.append(_block(note, spacing="Small"))
        body.append(_block("They were asked not to include names, dates of birth, addresses or other "
                           "identifying details.", size="Small", isSubtle=True, spacing="Small"))
    actions = _action_buttons(escalation, calling_label="I'll call you",
                              advice_hint="What should they do? No names or identifying details.")
    return _card(body, actions)


def mash_handoff_card(escalation: Mapping[str, Any]) -> dict[str, Any]:
    """The card posted to the MASH channel: referrer, concern, consent, urgency, call-back time."""
    urgent = bool(escalation.get("urgent"))
    referrer = escalation.get("referrer") or {}
    head = [_block("Professional consultation requested", weight="Bolder", size="Medium",
                   **({"color": "Attention"} if urgent else {}))]
    if escalation.get("callback_by_text"):
        head.append(_block(f"Please call the referrer back by {escalation['callback_by_text']}.", spacing="Small"))
    body = _top(escalation, head, "URGENT: the referrer needs advice today")
    body.append(_facts([
        ("Reference", str(escalation.get("id", ""))),
        ("Referrer", str(referrer.get("referrer_name", ""))),
        ("Agency", str(referrer.get("agency", ""))),
        ("Role", str(referrer.get("role", ""))),
        ("Phone", str(referrer.get("phone", ""))),
        ("Organisation", str(escalation.get("organisation_name") or "")),
        ("Requested", local_time(escalation.get("created_at"))),
        ("Urgency", "Urgent: today" if urgent else "Routine"),
        ("Consent", _consent_text(escalation.get("consent"))),
        ("Guidance", _pack_text(escalation.get("summary") or {})),
    ]))
    if escalation.get("concern"):
        body.append(_block("The concern in brief", weight="Bolder", spacing="Medium"))
        body.append(_block(str(escalation["concern"]), spacing="Small"))
    body.extend(_summary_elements(escalation.get("summary") or {}))
    actions = _action_buttons(escalation, calling_label="I'll call them",
                              advice_hint="Outcome of the consultation (no names).")
    return _card(body, actions)


def practitioner_card(escalation: Mapping[str, Any]) -> dict[str, Any]:
    """The practitioner's "Sent" card once someone has acted: the reference, where it stands, who
    acted and what to do next (no buttons: anything else is typed or on the newer messages)."""
    mash = escalation.get("kind") == "mash"
    ref = str(escalation.get("id", ""))
    phase = machine.phase(escalation)
    title = f"Your MASH consultation request {ref}" if mash else f"Your request {ref} to your DSL"
    body: list[dict[str, Any]] = [_block(title, weight="Bolder", size="Medium")]
    body.extend(status_banner(escalation, for_practitioner=True))
    facts = [("Reference", ref), ("Sent", local_time(escalation.get("created_at"))),
             ("Status", phase.label)]
    if mash and escalation.get("callback_by_text"):
        facts.append(("MASH to call you by", str(escalation["callback_by_text"])))
    body.append(_facts(facts))
    if phase.advice_given:
        body.append(_block("Record your decision and the advice (golden rule 7).", spacing="Medium"))
    elif not phase.waiting and not phase.final:  # answered, not closed
        body.append(_block("If a child is in immediate danger, call 999.", size="Small", spacing="Medium"))
    return _card(body, [])


def webhook_packet(escalation: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON a MASH webhook receives: the hand-off packet and nothing else."""
    return {
        "type": "sharesafe.professional_consultation",
        "id": escalation.get("id"),
        "organisation": {"id": escalation.get("organisation"), "name": escalation.get("organisation_name")},
        "partnership": escalation.get("partnership"),
        "referrer": dict(escalation.get("referrer") or {}),
        "concern": escalation.get("concern", ""),
        "consent": dict(escalation.get("consent") or {}),
        "urgent": bool(escalation.get("urgent")),
        "summary": dict(escalation.get("summary") or {}),
        "requested_at": escalation.get("created_at"),
        "callback_by": escalation.get("callback_by"),
        "callback_by_text": escalation.get("callback_by_text"),
    }
