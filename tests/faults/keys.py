"""Bot Framework's OpenID metadata and signing keys on 127.0.0.1, served from a thread, that can be
made to hang (accept the connection, then say nothing) as Microsoft's endpoint did in the issue."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fixtures import OpenIdServer


class HangingKeyServer(OpenIdServer):
    """OpenID metadata + JWKS; while `hanging` is set every request waits (up to 30 s) unanswered;
    `failing`: 500; `dribbling`: a body that never ends, one byte at a time."""

    def __init__(self, keys: dict[str, rsa.RSAPrivateKey]) -> None:
        super().__init__(keys)
        self.hanging = threading.Event()
        self.failing = threading.Event()  # answer 500
        self.dribbling = threading.Event()  # answer 200, then one byte every half second
        self.dropped = threading.Event()  # a dribbled-to client hung up
        self.stop_hanging = threading.Event()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Hang, fail or dribble as set; otherwise serve the metadata or the JWKS."""
        if self.hanging.is_set():
            self.stop_hanging.wait(30)
            return
        if self.failing.is_set():
            handler.send_error(500)
            return
        if self.dribbling.is_set():
            # Headers, then a byte now and then: never long enough silent for a read timeout.
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.end_headers()
            try:
                for _ in range(60):
                    if self.stop_hanging.wait(0.5):
                        return
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
            except OSError:
                self.dropped.set()  # the client gave up and closed the connection
            return
        super().answer(handler)

    def stop(self) -> None:
        """Stop serving (hung requests are let go)."""
        self.stop_hanging.set()
        super().stop()


def loopback_preload(sdk: str, server: OpenIdServer) -> str:
    """What a production worker on `sdk` runs before the bot (Worker's preload) so that only loopback
    changes: where its token validation fetches the signing keys (each SDK's own switch), and an
    outbound token that never calls Azure AD. The token check itself is the SDK's, unchanged."""
    if sdk == "agents":
        return (
            "from microsoft_agents.authentication.msal import MsalAuth\n"
            "from microsoft_agents.hosting.core.authorization import AuthenticationConstants\n"
            "from bot.channels.agents.auth import AgentsAuthentication\n"
            f"AgentsAuthentication.key_set_urls = {{AuthenticationConstants.PUBLIC_ABS_JWKS_URL: {server.keys_url!r}}}\n"
            "async def _loopback_token(self, resource_url, scopes, force_refresh=False):\n"
            "    return 'loopback-token'\n"
            "MsalAuth.get_access_token = _loopback_token\n"
        )
    return (
        "from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials\n"
        f"ChannelValidation.open_id_metadata_endpoint = {server.url!r}\n"
        "MicrosoftAppCredentials.get_access_token = lambda self, force_refresh=False: 'loopback-token'\n"
    )
