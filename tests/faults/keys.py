"""Bot Framework's OpenID metadata and signing keys on 127.0.0.1, served from a thread, that can be
made to hang (accept the connection, then say nothing) as Microsoft's endpoint did in the issue."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.security_fixtures import CHANNEL_ISSUER, OpenIdServer


class HangingKeyServer:
    """OpenID metadata + JWKS; while `hanging` is set every request waits (up to 30 s) unanswered;
    `failing`: 500; `dribbling`: a body that never ends, one byte at a time."""

    def __init__(self, keys: dict[str, rsa.RSAPrivateKey]) -> None:
        self.jwks = {"keys": [OpenIdServer._jwk(kid, key) for kid, key in keys.items()]}  # noqa: SLF001
        self.hanging = threading.Event()
        self.failing = threading.Event()  # answer 500
        self.dribbling = threading.Event()  # answer 200, then one byte every half second
        self.dropped = threading.Event()  # a dribbled-to client hung up
        self.stop_hanging = threading.Event()
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def start(self) -> "HangingKeyServer":
        """Listen on a free loopback port."""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.requests += 1
                if owner.hanging.is_set():
                    owner.stop_hanging.wait(30)
                    return
                if owner.failing.is_set():
                    self.send_error(500)
                    return
                if owner.dribbling.is_set():
                    # Headers, then a byte now and then: never long enough silent for a read timeout.
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    try:
                        for _ in range(60):
                            if owner.stop_hanging.wait(0.5):
                                return
                            self.wfile.write(b" ")
                            self.wfile.flush()
                    except OSError:
                        owner.dropped.set()  # the client gave up and closed the connection
                    return
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                body: Any = ({"issuer": CHANNEL_ISSUER, "jwks_uri": f"{base}/keys"}
                             if self.path.endswith("openidconfiguration") else owner.jwks)
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/{uuid.uuid4().hex}/.well-known/openidconfiguration"
        return self

    def stop(self) -> None:
        """Stop serving (hung requests are let go)."""
        self.stop_hanging.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
