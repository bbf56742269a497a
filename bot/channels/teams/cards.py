"""Rendering the engine's replies as Adaptive Cards for Teams and Web Chat (plain text: bot/channels/text.py).

Cards are read on phones, mid-conversation with a family: the title and the guidance come first,
the golden rules are one short line each (the full wording folds out), and every button is one tap.
"""

from __future__ import annotations

from typing import Any

from bot.channels.text import paragraphs, rule_line
from dialogs.model import TEXT_SUBMIT, Reply

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams shows at most six actions in one set; longer menus (record field pickers) are split.
ACTIONS_PER_SET = 5
INPUT_MAX_LENGTH = 2000
SEND_LABEL = "Send"
# Choices that mean "a child is in immediate danger" are red wherever they appear.
DANGER_CHOICES = frozenset({"danger"})


def _block(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def _rules_elements(reply: Reply) -> list[dict[str, Any]]:
    if not reply.rules:
        return []
    elements: list[dict[str, Any]] = []
    if reply.kind != "rules":  # the rules card's own text already lists them, one short line each
        short = [_block(rule_line(r.number, r.short or r.text), size="Small", isSubtle=True, spacing="Small")
                 for r in reply.rules]
        elements.append({"type": "Container", "spacing": "Medium", "items": short})
    if any(r.short and r.short != r.text for r in reply.rules):
        elements.append({
            "type": "Container", "id": "rules-full", "isVisible": False,
            "items": [_block(rule_line(r.number, r.text), size="Small", isSubtle=True, spacing="Small")
                      for r in reply.rules],
        })
        elements.append({
            "type": "ActionSet",
            "actions": [{"type": "Action.ToggleVisibility", "title": "Rules in full",
                         "targetElements": ["rules-full"]}],
        })
    return elements


def _context(reply: Reply) -> dict[str, str]:
    """What the card asked, sent back with every button, so the engine can ignore a tap on an old
    card (Teams keeps earlier cards clickable) instead of taking it as an answer to a later question."""
    if reply.kind in ("question", "why") and reply.node:
        return {"node": reply.node}
    field = reply.data.get("field") if reply.data else None
    return {"field": str(field)} if field else {}


def _submit(value: str, label: str, danger: bool = False, context: dict[str, str] | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": label, "data": {"choice": value, **(context or {})}}
    if danger or value in DANGER_CHOICES:
        action["style"] = "destructive"
    return action


def render_card(reply: Reply) -> dict[str, Any]:
    """One reply as an Adaptive Card 1.5 (the card content, not the attachment)."""
    danger = reply.kind == "danger"
    head: list[dict[str, Any]] = []
    if reply.title:
        head.append(_block(reply.title, weight="Bolder", size="Medium",
                           **({"color": "Attention"} if danger else {})))
    head.extend(_block(p, spacing="Small") for p in paragraphs(reply.text))
    body: list[dict[str, Any]] = []
    if danger:
        # Attention styling: this card tells someone to call 999 and must not look like the others.
        body.append({"type": "Container", "style": "attention", "bleed": True, "items": head})
    else:
        body.extend(head)
    if reply.facts:
        body.append({"type": "FactSet", "spacing": "Medium",
                     "facts": [{"title": str(k), "value": str(v)} for k, v in reply.facts]})
    if reply.checklist:
        body.append({"type": "Container", "spacing": "Medium",
                     "items": [_block(f"• {item}", spacing="Small") for item in reply.checklist]})
    body.extend(_rules_elements(reply))
    if reply.source:
        body.append(_block(f"Source: {reply.source}", size="Small", isSubtle=True, spacing="Medium"))

    actions: list[dict[str, Any]] = []
    if reply.input_hint:
        body.append({"type": "Input.Text", "id": "text", "placeholder": reply.input_hint,
                     "isMultiline": True, "maxLength": INPUT_MAX_LENGTH, "spacing": "Medium"})
        actions.append({"type": "Action.Submit", "title": SEND_LABEL, "style": "positive",
                        "data": {"choice": TEXT_SUBMIT, **_context(reply)}})
    context = _context(reply)
    actions.extend(_submit(c.value, c.label, context=context) for c in reply.choices)

    card: dict[str, Any] = {
        "$schema": SCHEMA, "type": "AdaptiveCard", "version": VERSION,
        "body": body, "msteams": {"width": "Full"},
    }
    if len(actions) <= ACTIONS_PER_SET + 1:
        if actions:
            card["actions"] = actions
    else:
        for start in range(0, len(actions), ACTIONS_PER_SET):
            body.append({"type": "ActionSet", "actions": actions[start:start + ACTIONS_PER_SET]})
    return card
