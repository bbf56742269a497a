"""Prometheus metrics at GET /metrics: turns by kind, turn latency, records filed, escalations open
and overdue, store errors, and requests refused (unauthenticated, unlisted tenant, rate, bad submit).

Every app has its own registry (no module globals), so tests and workers in one process do not mix
their counts. Nothing here carries an id or a word of what anyone typed: labels are fixed, short
vocabularies.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hmac
import logging
import time
from collections import OrderedDict
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Iterator

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

from bot.escalation.machine import OPEN_STATUSES
from dialogs import uk_time
from state.interfaces import InvalidTransition, NotFound, StoreError, VersionConflict

log = logging.getLogger("sharesafe.metrics")

TURN_KINDS = ("text", "card_submit", "conversation_update", "installation_update", "invoke", "other")
REFUSALS = ("unauthorized", "auth_unavailable", "tenant", "rate_limited", "dropped", "bad_submit")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ESCALATION_KINDS = ("dsl", "mash")
# Escalation gauges are read from the store at most this often (many scrapers, many workers).
ESCALATION_REFRESH_SECONDS = 10.0
ESCALATION_SCAN_LIMIT = 10_000
METERED_STORES = ("conversations", "records", "escalations", "references", "registrations")
STORE_METHODS = ("load", "save", "append", "get", "list", "verify", "purge", "ping", "create", "transition",
                 "claim_due", "reschedule", "put", "register", "unregister", "registrations")
# Outcomes a store reports by design (a clash, a missing id, someone got there first): not errors.
EXPECTED = (VersionConflict, NotFound, InvalidTransition)
RECENT_REFERENCES = 4096


def turn_kind(activity: Any) -> str:
    """The kind of a turn, from a short fixed list (the label of sharesafe_turns_total)."""
    kind = str(getattr(activity, "type", "") or "")
    if kind == "message":
        return "card_submit" if getattr(activity, "value", None) is not None else "text"
    return {"conversationUpdate": "conversation_update", "installationUpdate": "installation_update",
            "invoke": "invoke"}.get(kind, "other")


class Metrics:
    """The app's metrics, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.turns = Counter("sharesafe_turns", "Turns run, by kind of activity.", ["kind"], registry=r)
        self.turn_seconds = Histogram("sharesafe_turn_seconds", "Time to run a turn, replies sent included.",
                                      ["kind"], buckets=LATENCY_BUCKETS, registry=r)
        self.refused = Counter("sharesafe_requests_refused", "Requests to /api/messages refused before a turn ran.",
                               ["reason"], registry=r)
        self.records_filed = Counter("sharesafe_records_filed", "Decision records filed by this worker.",
                                     registry=r)
        self.store_errors = Counter("sharesafe_store_errors", "Store operations that failed (outage, timeout).",
                                    ["store", "error"], registry=r)
        self.escalations_open = Gauge("sharesafe_escalations_open",
                                      "DSL requests and MASH hand-offs not yet resolved.", ["kind"], registry=r)
        self.escalations_overdue = Gauge(
            "sharesafe_escalations_overdue",
            "Requests nobody has acknowledged within the first waiting period.", ["kind"], registry=r)
        for kind in TURN_KINDS:  # every series exists from the start, so rate() works from zero
            self.turns.labels(kind)
        for reason in REFUSALS:
            self.refused.labels(reason)
        for kind in ESCALATION_KINDS:
            self.escalations_open.labels(kind).set(0)
            self.escalations_overdue.labels(kind).set(0)
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._escalations_at = float("-inf")
        self._escalation_lock = asyncio.Lock()

    @contextmanager
    def turn(self, kind: str) -> Iterator[None]:
        """Count one turn and time it."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.turns.labels(kind).inc()
            self.turn_seconds.labels(kind).observe(time.perf_counter() - start)

    def refuse(self, reason: str) -> None:
        """Count a request refused before its turn ran."""
        self.refused.labels(reason).inc()

    def record_filed(self, reference: str | None) -> None:
        """Count a record once, even if the effect ran again (a version clash re-runs the turn)."""
        if reference:
            if reference in self._recent:
                return
            self._recent[reference] = None
            while len(self._recent) > RECENT_REFERENCES:
                self._recent.popitem(last=False)
        self.records_filed.inc()

    async def refresh_escalations(self, escalations: Any, now: datetime | None = None, *, force: bool = False) -> None:
        """Set the open/overdue gauges from the escalation store (at most every few seconds)."""
        if escalations is None:
            return
        async with self._escalation_lock:
            if not force and time.monotonic() - self._escalations_at < ESCALATION_REFRESH_SECONDS:
                return
            now = now or datetime.now(timezone.utc)
            opened = dict.fromkeys(ESCALATION_KINDS, 0)
            overdue = dict.fromkeys(ESCALATION_KINDS, 0)
            try:
                for status in OPEN_STATUSES:
                    for esc in await escalations.list(status=status, limit=ESCALATION_SCAN_LIMIT):
                        kind = esc.get("kind") if esc.get("kind") in ESCALATION_KINDS else "dsl"
                        opened[kind] += 1
                        if status == "requested" and _overdue(esc, now):
                            overdue[kind] += 1
            except StoreError as exc:
                log.warning("escalation gauges not refreshed: %s", type(exc).__name__)
                return
            for kind in ESCALATION_KINDS:
                self.escalations_open.labels(kind).set(opened[kind])
                self.escalations_overdue.labels(kind).set(overdue[kind])
            self._escalations_at = time.monotonic()


def _overdue(esc: dict[str, Any], now: datetime) -> bool:
    """Still 'requested' after the first waiting period: re-pinged already, or its re-ping is due."""
    if int(esc.get("stage") or 0) >= 1:
        return True
    due = esc.get("due_at")
    if not due:
        return False
    moment = uk_time.parse(str(due))
    return moment is not None and moment <= now


def _metered(metrics: Metrics, store_name: str, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except EXPECTED:
            raise
        except StoreError as exc:
            metrics.store_errors.labels(store_name, type(exc).__name__).inc()
            raise

    return call


class MeteredStore:
    """A store seen through the metrics: its failures counted by store and error type, everything
    else passed through. The store itself is left as it was built."""

    def __init__(self, store: Any, name: str, metrics: Metrics) -> None:
        self._store = store
        for method_name in STORE_METHODS:
            method = getattr(store, method_name, None)
            if method is not None and asyncio.iscoroutinefunction(method):
                setattr(self, method_name, _metered(metrics, name, method))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def metered_stores(stores: Any, metrics: Metrics) -> Any:
    """The same stores, each behind a MeteredStore (stores built by hand, not as Stores, as given)."""
    if not dataclasses.is_dataclass(stores):
        return stores
    return dataclasses.replace(stores, **{name: MeteredStore(getattr(stores, name), name, metrics)
                                          for name in METERED_STORES if getattr(stores, name, None) is not None})


def metrics_handler(metrics: Metrics, escalations_of: Callable[[web.Request], Any],
                    token: str = "") -> Callable[[web.Request], Awaitable[web.Response]]:
    """GET /metrics; when a token is configured the scraper must send `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else b""

    async def handler(request: web.Request) -> web.Response:
        if expected and not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected):
            return web.json_response({"error": "unauthorized"}, status=401)
        await metrics.refresh_escalations(escalations_of(request))
        # The Prometheus text format, or OpenMetrics when the scraper asks for it.
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        return web.Response(body=encode(metrics.registry), headers={"Content-Type": content_type})

    return handler
