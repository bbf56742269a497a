"""Real bot workers (`python -m bot serve` processes) and a fake Bot Connector that can hold or fail
replies, for the fault suite."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.fake_connector import FakeConnector, message_activity
from tests.faults.cli import ROOT, bot_env
from tests.processes import free_port, wait_healthy


class Worker:
    """One `python -m bot serve` process on a loopback port."""

    def __init__(self, env: dict[str, str], *, preload: str = "") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = bot_env(SHARESAFE_REPING_POLL_SECONDS="1", **env)
        # A preload runs inside the worker before the bot: only what a test must point at loopback.
        code = (f"{preload}\nimport runpy, sys\nsys.argv = ['bot', 'serve', '--port', '{self.port}']\n"
                "runpy.run_module('bot', run_name='__main__', alter_sys=True)")
        self.proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_healthy(self.url, self.proc)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no goodbye, exactly like a crashed container."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> str:
        """Stop the worker and return what it logged."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return (self.proc.stdout.read() or b"").decode(errors="replace") if self.proc.stdout else ""


@dataclass
class HoldingConnector(FakeConnector):
    """A FakeConnector that can also hold every call for some conversations until released."""

    hold_conversations: set[str] = field(default_factory=set)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def _handle(self, request: web.Request) -> web.Response:
        if any(f"/conversations/{c}/" in request.path for c in self.hold_conversations):
            self.arrived.set()
            await self.release.wait()  # the worker is killed meanwhile: nothing is delivered
            return web.Response(status=503)
        return await super()._handle(request)

    def delivered_ids(self, conversation_id: str) -> list[str]:
        """The id of every activity delivered to one conversation, in order (repeats included)."""
        return [(a.get("channelData") or {}).get("sharesafeReplyId") for a in self.sent_to(conversation_id)]


async def post(session: aiohttp.ClientSession, worker: Worker, activity: dict[str, Any],
               headers: dict[str, str] | None = None, timeout: float = 30) -> int:
    """POST an activity to a worker; its HTTP status (0 when the worker died first)."""
    try:
        async with session.post(worker.url + "/api/messages", json=activity, headers=headers or {},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            await response.read()
            return response.status
    except (aiohttp.ClientError, ConnectionError):
        return 0


def activity(connector: FakeConnector, text: str | None = None, **kw: Any) -> dict[str, Any]:
    """A Teams message activity for the fault tests."""
    return message_activity(connector.url, text=text, **kw)
