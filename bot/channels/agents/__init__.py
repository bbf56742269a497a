"""The Microsoft 365 Agents SDK channel (SHARESAFE_SDK=agents): the same bot, on the SDK that
succeeds the archived Bot Framework SDK. ShareSafe keeps its own /api/messages handler and its
checks; this package is the edge behind it: token validation (auth.py), the adapter that runs a
turn and sends its replies (adapter.py) and proactive messages (proactive.py). docs/deploy.md,
"Running on the Microsoft 365 Agents SDK", says how to switch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from bot.config import Settings, SettingsError

# The SDK logs conversation ids at INFO and request paths (which hold them) on a failed send;
# ShareSafe logs its own lines, with hashed ids (bot/logs.py).
SDK_LOGGER = "microsoft_agents"


def _drop(record: logging.LogRecord) -> bool:
    return False


def silence_sdk_logs() -> None:
    """Keep every SDK log line away from the app's handlers, whatever level anyone later sets on
    its loggers: its lines can name a conversation, and a level alone does not stop its child
    loggers' DEBUG lines once someone lowers it."""
    sdk = logging.getLogger(SDK_LOGGER)
    sdk.setLevel(logging.CRITICAL)
    if not any(isinstance(h, logging.NullHandler) for h in sdk.handlers):
        sdk.addHandler(logging.NullHandler())  # so Python's last-resort handler does not print them either
    sdk.propagate = False
    # The SDK's modules are loaded by now: their loggers drop every line where it is made, so no
    # handler anyone attaches to them (or to the root) ever sees one.
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith(SDK_LOGGER + ".") and isinstance(logger, logging.Logger) \
                and _drop not in logger.filters:
            logger.addFilter(_drop)


@dataclass
class AgentsEdge:
    """What the app needs from the channel: authentication (whose close() also releases the
    connector clients), the adapter and the proactive messenger."""

    auth: Any
    adapter: Any
    messenger: Any


def build_edge(settings: Settings, token_provider: Any = None,
               json_of: Callable[[Any], dict[str, Any]] = dict) -> AgentsEdge:
    """The Agents SDK edge for these settings. `token_provider` (the SDK's AccessTokenProviderBase)
    signs outgoing messages; by default MSAL with APP_ID / APP_PASSWORD, none without an APP_ID.
    `json_of` turns the activity the HTTP layer parsed into Activity Protocol JSON."""
    try:
        from bot.channels.agents.adapter import AgentsAdapter, ConnectorClients
        from bot.channels.agents.auth import AgentsAuthentication, auth_configuration
        from bot.channels.agents.proactive import AgentsMessenger
    except ImportError as exc:
        raise SettingsError("SHARESAFE_SDK is agents but the Microsoft 365 Agents SDK is not installed: "
                            "pip install -r requirements-agents.txt") from exc

    silence_sdk_logs()
    if not settings.auth_enabled:
        token_provider = None  # no app id: nothing is signed, as on the Bot Framework channel
    elif token_provider is None:
        from microsoft_agents.authentication.msal import MsalAuth

        token_provider = MsalAuth(auth_configuration(settings))
    clients = ConnectorClients(token_provider)
    adapter = AgentsAdapter(clients, json_of)
    return AgentsEdge(auth=AgentsAuthentication(settings, clients=clients), adapter=adapter,
                      messenger=AgentsMessenger(adapter, settings.APP_ID))
