"""DSL self-registration: "register dsl <join code>" / "register deputy <join code>" in a 1:1 chat.
The code is never logged or kept; wrong codes are counted in the store, so the lockout holds across
workers and restarts."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.escalation.context import Actor, Context
from dialogs.commands import REGISTER_PATTERN as _REGISTER
from dialogs.model import Reply

log = logging.getLogger("sharesafe.escalation")

_FAILED_CODES_WINDOW = 15 * 60
_FAILED_CODES_LIMIT = 5


def is_register_command(text: str) -> bool:
    """True for "register dsl <code>" / "register deputy <code>" (handled before the engine)."""
    return bool(_REGISTER.match(text or ""))


class Registration:
    """Registers a DSL or deputy for the organisation whose join code they typed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def register(self, actor: Actor, text: str) -> Reply:
        """"register dsl <join code>" / "register deputy <join code>" (the code is never logged or kept)."""
        match = _REGISTER.match(text or "")
        if match is None:
            return Reply(kind="info", title="Register", text="Type: register dsl <join code> (or register deputy <join code>).")
        role, code = match.group(1).lower(), " ".join(match.group(2).split())
        if actor.shared:
            return Reply(kind="info", title="Register in a private chat",
                         text="Please register in a 1:1 chat with ShareSafe, not here where others can see the code. "
                              "Ask your administrator for a new join code, as this one has been seen.")
        if not code:
            return Reply(kind="info", title="Register", text=f"Type: register {role} <join code>. Your administrator has the code.")
        if await self._too_many_failures(actor.user_id):
            return Reply(kind="info", title="Too many tries",
                         text="That code was wrong too many times. Wait 15 minutes, or ask your administrator.")
        org_id = self.ctx.directory.organisation_for_code(code)
        if org_id is None:
            # In the store, so the limit holds across workers and restarts.
            await self.ctx.registrations.add_failed_code(actor.user_id, self.ctx.clock(),
                                                         window_seconds=_FAILED_CODES_WINDOW)
            log.info("registration refused: wrong join code")
            return Reply(kind="info", title="Not registered",
                         text="That join code is not right. Check it with your administrator.")
        await self.ctx.registrations.register(org_id, actor.user_id, name=actor.name, role=role)
        await self.ctx.refresh_directory()
        org = self.ctx.directory.organisations[org_id]
        label = "DSL" if role == "dsl" else "deputy DSL"
        log.info("registered a %s for organisation %s", role, org_id)
        return Reply(kind="info", title=f"Registered as {label}",
                     text=f"You're registered as {label} for {org.name}. Requests for advice from its staff "
                          "will come to this chat. Type \"escalations\" to see your organisation's requests.",
                     data={"organisation": org_id, "role": role})

    async def _too_many_failures(self, user_id: str) -> bool:
        since = self.ctx.clock() - timedelta(seconds=_FAILED_CODES_WINDOW)
        return await self.ctx.registrations.failed_codes(user_id, since) >= _FAILED_CODES_LIMIT
