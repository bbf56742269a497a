"""The DSL overview tab: a static page and a small JSON API on the bot's own aiohttp app.

GET /tab/                         the page (Teams personal or team tab)
GET /tab/configure                the team tab's configuration page
GET /tab/static/<file>            its script, styles and the vendored Teams JS SDK
GET /tab/api/overview?from&to     open requests, MASH hand-offs, charts, corrections, records
GET /tab/api/export.csv?what=...  one table as shown (requests | handoffs | records | weeks)
GET /tab/api/records/<ref>        one record of the viewer's organisation
GET /tab/api/requests/<id>        one request or hand-off of the viewer's organisation
POST /tab/api/dev-signin          development only (no APP_ID), from 127.0.0.1 only

Only a DSL or deputy of the organisation the directory puts the viewer in gets any data
(docs/dsl-tab.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from aiohttp import web

from bot.config import Settings
from bot.dsl_tab import overview as views
from bot.dsl_tab.auth import NotSignedIn, TabAuth, TabUser, is_loopback_address
from bot.escalation.machine import status_label
from dialogs import uk_time
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.dsl_tab")

STATIC_DIR = Path(__file__).resolve().parent / "static"
TAB_AUTH_KEY = web.AppKey("dsl_tab_auth", TabAuth)
# Enough for years of a school's records; the tab counts in memory after one indexed read.
MAX_RECORDS = 20_000
MAX_ESCALATIONS = 2_000
# Teams shows the tab in an iframe on these hosts; nobody else may frame it.
FRAME_ANCESTORS = ("'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.cloud.microsoft "
                   "https://*.office.com https://*.microsoft365.com https://*.cloud.microsoft")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       f"frame-ancestors {FRAME_ANCESTORS}; base-uri 'none'; form-action 'none'")
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".txt": "text/plain"}

# (stores, directory) once the runtime has started, else (None, None).
Runtime = Callable[[web.Application], tuple[Any, Any]]


def _refuse(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers={"Cache-Control": "no-store"})


def _dsl_only(handler: Callable[..., Any]) -> Callable[[Any, web.Request], Any]:
    """The handler, called with (viewer, organisation, stores, directory) only for a DSL or deputy:
    no child's data reaches anyone else (the refusal is answered instead)."""
    async def guarded(self: "TabApi", request: web.Request) -> web.Response:
        viewer = await self._viewer(request)
        if isinstance(viewer, web.Response):
            return viewer
        return await handler(self, request, *viewer)
    return guarded


class TabApi:
    """The handlers, bound to the settings and the runtime's stores and directory."""

    def __init__(self, settings: Settings, runtime: Runtime, auth: TabAuth) -> None:
        self.settings = settings
        self.runtime = runtime
        self.auth = auth
        self.periods = {"normal": timedelta(minutes=settings.ESCALATION_MINUTES),
                        "urgent": timedelta(minutes=settings.ESCALATION_URGENT_MINUTES)}

    async def _viewer(self, request: web.Request) -> tuple[TabUser, str, Any, Any] | web.Response:
        """(viewer, organisation, stores, directory) for a DSL or deputy, else the refusal."""
        try:
            user = await self.auth.user(request.headers.get("Authorization", ""))
        except NotSignedIn as exc:
            log.info("tab refused: not signed in (%s)", exc)
            return _refuse(401, "Sign in with your work account to see this.")
        stores, directory = self.runtime(request.app)
        if stores is None or directory is None:
            return _refuse(503, "ShareSafe is starting; try again in a moment.")
        organisation = directory.organisation_of(list(user.ids))
        if not organisation or not directory.is_dsl(list(user.ids), organisation):
            log.info("tab refused: not a DSL of an organisation")
            return _refuse(403, "Only your organisation's DSLs and deputies can see this.")
        return user, organisation, stores, directory

    async def _view(self, request: web.Request, organisation: str, stores: Any) -> dict[str, Any]:
        now = datetime.now(timezone.utc)
        start, end = views.day_range(views.parse_day(request.query.get("from")),
                                     views.parse_day(request.query.get("to")), now)
        records = await stores.records.list(organisation=organisation, limit=MAX_RECORDS)
        escalations = (await stores.escalations.list(organisation=organisation, limit=MAX_ESCALATIONS)
                       if getattr(stores, "escalations", None) is not None else [])
        return views.overview(records, escalations, now=now, start=start, end=end, periods=self.periods)

    @_dsl_only
    async def overview(self, request: web.Request, user: TabUser, organisation: str, stores: Any,
                       directory: Any) -> web.Response:
        """GET /tab/api/overview: the page's data for the viewer's organisation."""
        view = await self._view(request, organisation, stores)
        org = directory.organisations.get(organisation) if hasattr(directory, "organisations") else None
        view["organisation"] = {"id": organisation, "name": getattr(org, "name", organisation)}
        names = getattr(org, "names", {}) or {}
        view["viewer"] = next((names[i] for i in user.ids if i in names), "") or user.name
        return web.json_response(view, headers={"Cache-Control": "no-store"})

    @_dsl_only
    async def export(self, request: web.Request, _user: TabUser, organisation: str, stores: Any,
                     _directory: Any) -> web.Response:
        """GET /tab/api/export.csv?what=requests|handoffs|records|weeks: one table, as shown."""
        what = request.query.get("what", "records")
        if what not in (*views.CSV_COLUMNS, "weeks"):
            return _refuse(400, "what must be requests, handoffs, records or weeks")
        view = await self._view(request, organisation, stores)
        name = f"sharesafe-{organisation}-{what}-{view['range']['from']}-to-{view['range']['to']}.csv"
        return web.Response(body=("\ufeff" + views.to_csv(view, what)).encode("utf-8"),
                            content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"',
                                     "Cache-Control": "no-store"})

    @_dsl_only
    async def record(self, request: web.Request, _user: TabUser, organisation: str, stores: Any,
                     _directory: Any) -> web.Response:
        """GET /tab/api/records/<reference>: one record, if it is the viewer's organisation's."""
        record = await stores.records.get(request.match_info["reference"].upper())
        if record is None or (record.get("practitioner") or {}).get("organisation") != organisation:
            return _refuse(404, "No such record in your organisation.")
        detail = views.record_row(record)
        detail["answers"] = [{"question": a.get("question", ""), "answer": a.get("label") or a.get("answer", "")}
                             for a in record.get("answers") or []]
        detail["lawful_basis"] = str(record.get("lawful_basis") or "")
        detail["filed_text"] = uk_time.day_and_time(record.get("created_at"))
        detail["requests"] = list(record.get("escalations") or [])
        return web.json_response(detail, headers={"Cache-Control": "no-store"})

    @_dsl_only
    async def request_detail(self, request: web.Request, _user: TabUser, organisation: str, stores: Any,
                             _directory: Any) -> web.Response:
        """GET /tab/api/requests/<id>: one request or hand-off with its history, if the viewer's organisation's."""
        esc = await stores.escalations.get(request.match_info["id"].upper())
        if esc is None or esc.get("organisation") != organisation:
            return _refuse(404, "No such request in your organisation.")
        detail = views.request_row(esc, datetime.now(timezone.utc), self.periods)
        detail["note"] = str(esc.get("note") or "")
        detail["history"] = [{"status": status_label(str(h.get("status"))),
                              "by": str(h.get("name") or ""), "at": uk_time.day_and_time(h.get("at"))}
                             for h in esc.get("history") or []]
        return web.json_response(detail, headers={"Cache-Control": "no-store"})

    async def dev_signin(self, request: web.Request) -> web.Response:
        """POST /tab/api/dev-signin {user_id, name}: a development token, from this machine only."""
        if not is_loopback_address(request.remote):
            return _refuse(403, "Development sign-in answers only on this machine.")
        try:
            body = await request.json()
        except ValueError:
            return _refuse(400, "body must be JSON with user_id")
        user_id = body.get("user_id") if isinstance(body, dict) else None
        if not isinstance(user_id, str) or not user_id or len(user_id) > 200:
            return _refuse(400, "body must be JSON with user_id")
        name = body.get("name") if isinstance(body.get("name"), str) else ""
        return web.json_response({"token": self.auth.dev_token(user_id, name[:100])},
                                 headers={"Cache-Control": "no-store"})


async def page(request: web.Request) -> web.StreamResponse:
    """GET /tab/: the page itself (no data in it; the script asks the API with a token)."""
    return _static(STATIC_DIR / "index.html")


async def configure(request: web.Request) -> web.StreamResponse:
    """GET /tab/configure: the team tab's configuration page (Teams shows it when the tab is added)."""
    return _static(STATIC_DIR / "configure.html")


def _static(path: Path) -> web.StreamResponse:
    return web.FileResponse(path, headers={"Content-Type": STATIC_TYPES.get(path.suffix, "application/octet-stream"),
                                           "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                                           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})


async def static(request: web.Request) -> web.StreamResponse:
    """GET /tab/static/<path>: the page's own files, nothing outside the folder."""
    relative = request.match_info["path"]
    path = (STATIC_DIR / relative).resolve()
    if STATIC_DIR not in path.parents or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise web.HTTPNotFound()
    return _static(path)


def _store_down(handler: Callable[[web.Request], Any]) -> Callable[[web.Request], Any]:
    """The handler, answering 503 with a plain sentence while the store cannot be reached."""
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except StoreUnavailable:
            log.warning("tab: store unavailable")
            return _refuse(503, "ShareSafe can't reach its records just now. Try again in a minute.")
    return guarded


def register(app: web.Application, settings: Settings, runtime: Runtime, jwks_url: str | None = None) -> None:
    """Add the tab's routes to the bot's app (the development sign-in only without an APP_ID)."""
    auth = TabAuth(settings, jwks_url)
    app[TAB_AUTH_KEY] = auth
    api = TabApi(settings, runtime, auth)
    app.router.add_get("/tab", page)
    app.router.add_get("/tab/", page)
    app.router.add_get("/tab/configure", configure)
    app.router.add_get("/tab/static/{path:.+}", static)
    app.router.add_get("/tab/api/overview", _store_down(api.overview))
    app.router.add_get("/tab/api/export.csv", _store_down(api.export))
    app.router.add_get("/tab/api/records/{reference}", _store_down(api.record))
    app.router.add_get("/tab/api/requests/{id}", _store_down(api.request_detail))
    if not settings.auth_enabled:
        app.router.add_post("/tab/api/dev-signin", api.dev_signin)
