"""Logging: one JSON object a line (or plain text for a developer), a correlation id per turn, and
nothing a practitioner typed.

Each request gets a correlation id (the incoming activity id when it looks like one, else a fresh
random id) and the hash of its conversation id, held in context variables, so every line logged while
that turn runs carries them without being passed around. `LOG_FORMAT=json` (the default in
production) writes

    {"time": "...", "level": "INFO", "logger": "sharesafe.app", "message": "...",
     "correlation_id": "...", "conversation": "3f2a..."}

Exceptions are logged as their type and the frames they passed through, never their message: an
exception message can quote what a practitioner typed.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import logging
import re
import sys
import traceback
import secrets
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, TextIO

from aiohttp import web

FORMATS = ("json", "text")

# Libraries that log whole requests or activities (message text, card values, tokens) at DEBUG or
# INFO. They are held at WARNING whatever LOG_LEVEL says: no setting may put what a practitioner
# typed into a log.
QUIET_LOGGERS = ("botbuilder", "botframework", "msrest", "msal", "urllib3", "requests", "transitions", "jwt",
                 "aiohttp.client", "aiohttp.internal", "aiohttp.websocket", "asyncio", "redis", "azure")

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
conversation_hash: contextvars.ContextVar[str] = contextvars.ContextVar("conversation_hash", default="-")

_SAFE_ID = re.compile(r"^[A-Za-z0-9:._@;=\-]{1,100}$")
_HANDLER_MARK = "_sharesafe_handler"


@functools.lru_cache(maxsize=4096)  # a conversation's id is hashed on every turn of it
def hash_id(value: str) -> str:
    """A short, stable, one-way stand-in for an id (a conversation or tenant) in logs."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def new_correlation_id() -> str:
    """A fresh correlation id: 32 random hex characters, as a uuid4's hex but without building one."""
    return secrets.token_hex(16)


def bind_request() -> None:
    """Start a request: a fresh correlation id, no conversation yet."""
    correlation_id.set(new_correlation_id())
    conversation_hash.set("-")


def bind_activity(activity_id: str | None, conversation_id: str | None) -> str:
    """Tie the log lines of this turn to the activity and (hashed) conversation; return the id used.

    The activity id is used as the correlation id when it looks like an id (Teams' are), so a line
    can be matched with what Azure Bot Service logged; anything else gets a fresh random id.
    """
    chosen = activity_id if activity_id and _SAFE_ID.match(activity_id) else new_correlation_id()
    correlation_id.set(chosen)
    conversation_hash.set(hash_id(conversation_id) if conversation_id else "-")
    return chosen


def _frames(record: logging.LogRecord) -> tuple[str, str] | None:
    if not record.exc_info or record.exc_info[0] is None:
        return None
    exc_type, exc, tb = record.exc_info
    frames = traceback.extract_tb(tb)
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames[-8:]))
    return exc_type.__name__, where


class ContextFilter(logging.Filter):
    """Adds correlation_id and conversation to every record (for the text format too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        record.conversation = conversation_hash.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, correlation_id, conversation."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", correlation_id.get()),
            "conversation": getattr(record, "conversation", conversation_hash.get()),
        }
        frames = _frames(record)
        if frames:
            line["exc_type"], line["exc_frames"] = frames
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A readable line for a developer's terminal; exceptions as type and frames, no message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s %(conversation)s]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "correlation_id"):
            ContextFilter().filter(record)
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None  # the default would print the exception message
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text = saved
        frames = _frames(record)
        if frames:
            text += f" [{frames[0]} at {frames[1]}]"
        return text


def formatter(fmt: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT."""
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}")
    return JsonFormatter() if fmt == "json" else TextFormatter()


def quiet_libraries() -> None:
    """Hold the libraries that can log message content at WARNING (idempotent)."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


def setup_logging(level: str, fmt: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """Log to stderr (or `stream`) in the given format; replaces a handler set up here before."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.addFilter(ContextFilter())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    quiet_libraries()
    return handler


@web.middleware
async def correlate(request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Give every request its own correlation id (each aiohttp request runs in its own task)."""
    bind_request()
    return await handler(request)
