"""The baseline bot's web app, as the samples set it up: CloudAdapter with
ConfigurationBotFrameworkAuthentication, MemoryStorage, ConversationState, DialogBot, POST /api/messages."""

from __future__ import annotations

import os
import sys
import traceback

from aiohttp import web
from botbuilder.core import ActivityHandler, ConversationState, MemoryStorage, TurnContext, UserState
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bench.baseline.dialogs import MainDialog, load_flowchart


# The summary card's buttons, as the ConfirmPrompt understands them.
CARD_BUTTONS = {"confirm": "yes", "cancel": "no"}


class DefaultConfig:
    """Bot configuration, as in the samples' config.py."""

    PORT = 3978
    APP_ID = os.environ.get("MicrosoftAppId", "")
    APP_PASSWORD = os.environ.get("MicrosoftAppPassword", "")
    APP_TYPE = os.environ.get("MicrosoftAppType", "MultiTenant")
    APP_TENANTID = os.environ.get("MicrosoftAppTenantId", "")


class DialogHelper:
    """The samples' helpers/dialog_helper.py."""

    @staticmethod
    async def run_dialog(dialog: Dialog, turn_context: TurnContext, accessor) -> None:
        dialog_set = DialogSet(accessor)
        dialog_set.add(dialog)
        dialog_context = await dialog_set.create_context(turn_context)
        results = await dialog_context.continue_dialog()
        if results.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog(dialog.id)


class DialogBot(ActivityHandler):
    """The samples' bots/dialog_bot.py, plus the usual Adaptive Card submit -> text mapping."""

    def __init__(self, conversation_state: ConversationState, user_state: UserState, dialog: Dialog) -> None:
        self.conversation_state = conversation_state
        self.user_state = user_state
        self.dialog = dialog

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        # Save any state changes that might have occurred during the turn.
        await self.conversation_state.save_changes(turn_context)
        await self.user_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        value = turn_context.activity.value
        if isinstance(value, dict) and not turn_context.activity.text:
            # An Adaptive Card button: {"choice": ...}, or a text box: {"choice": "__text__", "text": ...}.
            choice = str(value.get("text") or value.get("choice") or "")
            turn_context.activity.text = CARD_BUTTONS.get(choice, choice)
        await DialogHelper.run_dialog(
            self.dialog, turn_context, self.conversation_state.create_property("DialogState"))


def create_app(config: DefaultConfig) -> web.Application:
    """The aiohttp app (the samples keep these objects as module globals)."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_error(context: TurnContext, error: Exception) -> None:
        print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
        traceback.print_exc()
        await context.send_activity("The bot encountered an error or bug.")

    adapter.on_turn_error = on_error
    memory = MemoryStorage()
    conversation_state = ConversationState(memory)
    user_state = UserState(memory)
    dialog = MainDialog(load_flowchart(), memory)
    bot = DialogBot(conversation_state, user_state, dialog)

    async def messages(req: web.Request) -> web.Response:
        return await adapter.process(req, bot)

    async def healthz(req: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app
