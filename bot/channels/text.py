"""The engine's replies as plain text: the terminal chat, the scenario runner, and any channel that
does not render cards. Read on a phone as often as not: the title first, then the guidance, the
choices numbered as the engine counts them."""

from __future__ import annotations

from dialogs.model import Reply


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a reply's text (a card shows each as its own block: Teams drops
    single line breaks)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def rule_line(number: int, text: str) -> str:
    """'Golden rule 3: ...', as every channel shows a rule."""
    return f"Golden rule {number}: {text}"


def render_text(reply: Reply) -> str:
    """One reply as plain text (terminal, SMS-like channels); choices numbered as the engine counts."""
    lines: list[str] = []
    if reply.title:
        lines.append(reply.title)
    if reply.kind != "rules":  # its text is the short list of the rules printed in full below
        lines.extend(paragraphs(reply.text))
    lines.extend(f"{k}: {v}" for k, v in reply.facts)
    lines.extend(f"- {item}" for item in reply.checklist)
    # In full where the decision rests on them; one short line on each question.
    full = reply.kind in ("rules", "outcome", "danger")
    lines.extend(rule_line(r.number, r.text if full else (r.short or r.text)) for r in reply.rules)
    if reply.source:
        lines.append(f"Source: {reply.source}")
    if reply.input_hint:
        lines.append(f"(Type your answer: {reply.input_hint})")
    if reply.kind == "danger_reminder":
        # No number: typed numbers mean the choices of the reply below it (the one the dialog is on).
        lines.append("(Type 999 to see what to do now.)")
    elif reply.choices:
        lines.append("  ".join(f"{n}. {c.label}" for n, c in enumerate(reply.choices, start=1)))
    return "\n".join(lines)
