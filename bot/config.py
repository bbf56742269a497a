"""Settings read once from the environment, keeping botbuilder's names (APP_ID, APP_PASSWORD, ...).

| Variable               | Default          | Meaning                                                      |
|------------------------|------------------|--------------------------------------------------------------|
| APP_ID                 | (unset)          | Azure Bot app id. Unset: no sign-in checks (local dev only).  |
| APP_PASSWORD           | (unset)          | Client secret of the app id. Never logged.                   |
| APP_TYPE               | MultiTenant      | MultiTenant, SingleTenant or UserAssignedMSI.                 |
| APP_TENANTID           | (unset)          | Tenant id (SingleTenant / UserAssignedMSI).                   |
| HOST                   | 127.0.0.1        | Address to listen on. Set 0.0.0.0 in a container.             |
| PORT                   | 3978             | Port to listen on.                                            |
| SHARESAFE_DATA_DIR     | ./data           | Folder for the embedded SQLite store (when no REDIS_URL).     |
| REDIS_URL              | (unset)          | Redis for many workers, e.g. rediss://host:6380/0.            |
| SHARESAFE_PACK         | national-2018    | Default policy pack.                                          |
| SHARESAFE_PACKS_DIR    | (unset)          | Extra folder of pack YAML files, loaded beside dialogs/packs (docs/pack-authoring.md §8). |
| SHARESAFE_DIRECTORY    | (unset)          | YAML file of organisations, DSLs and admins.                  |
| SHARESAFE_ENV          | development when APP_ID unset, else production. production refuses to start without APP_ID, SHARESAFE_RECORD_KEYS and SHARESAFE_CHAIN_KEYS. Without APP_ID the bot listens only on a loopback HOST unless SHARESAFE_ENV=development is set explicitly. |
| CONVERSATION_IDLE_TTL  | 86400            | Seconds an idle conversation is kept.                         |
| SHARESAFE_RETENTION_DAYS | (unset)        | Records older than this are removed by `records purge --retention`. |
| LOG_LEVEL              | INFO             | Python logging level name.                                    |
| SHARESAFE_ESCALATION_MINUTES        | 15  | Minutes before an unacknowledged DSL request is re-pinged. |
| SHARESAFE_ESCALATION_URGENT_MINUTES | 5   | The same for a request marked urgent.                      |
| SHARESAFE_REPING_POLL_SECONDS       | 15  | How often each worker looks for re-pings that are due.     |
| SHARESAFE_JOIN_CODE_<ORGANISATION>  |     | Join code DSLs register with (see docs/escalation.md).     |
| SHARESAFE_ALLOWED_TENANTS  | production: APP_TENANTID for SingleTenant/UserAssignedMSI; development: any | Comma-separated Teams tenant ids allowed to use the bot; others get 403. `*`: any tenant, on purpose. A MultiTenant production bot refuses to start without it. |
| SHARESAFE_RECORD_KEYS      | (unset)      | Comma-separated Fernet keys, newest first, encrypting records' free text and conversation state at rest. Required in production. `python -m bot records new-key` makes one. Never logged. |
| SHARESAFE_RATE_PER_MINUTE  | 30 in production, 0 (off) in development | Messages a user may send a minute (shared through Redis when REDIS_URL is set, else per worker); 0 turns the limit off. |
| SHARESAFE_RATE_BURST       | 15           | Messages a user may send at once before the per-minute rate applies. |
| SHARESAFE_METRICS_TOKEN    | (unset)      | When set, GET /metrics needs `Authorization: Bearer <token>`. Unset: /metrics is off (404) in production, open in development. Never logged. |
| LOG_FORMAT                 | json in production, text in development | json: one JSON object a line with a correlation id; text: for a terminal. |
| APP_PASSWORD_FILE          | (unset)      | Read APP_PASSWORD from this file instead (a container secret: no value in the environment). |
| SHARESAFE_RECORD_KEYS_FILE | (unset)      | Read SHARESAFE_RECORD_KEYS from this file instead.            |
| SHARESAFE_CHAIN_KEYS       | (unset)      | Comma-separated HMAC keys (URL-safe base64, 32+ bytes), newest first, signing decision records, the chain head and purge records. Required in production. `python -m bot records new-chain-key` makes one. Never logged. |
| SHARESAFE_CHAIN_KEYS_FILE  | (unset)      | Read SHARESAFE_CHAIN_KEYS from this file instead.             |
| SHARESAFE_METRICS_TOKEN_FILE | (unset)    | Read SHARESAFE_METRICS_TOKEN from this file instead.          |
| REDIS_PASSWORD_FILE        | (unset)      | Password for REDIS_URL (which then holds none) read from this file, e.g. /run/secrets/redis_password. |
| SHARESAFE_SDK              | botframework | botframework or agents (the Microsoft 365 Agents SDK, docs/deploy.md). The Agents SDK's CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID / CLIENTSECRET / TENANTID / AUTHTYPE may stand for APP_ID / APP_PASSWORD / APP_TENANTID / APP_TYPE on either SDK. |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Mapping
from urllib.parse import quote, unquote, urlsplit, urlunsplit

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
ENVIRONMENTS = ("development", "production")
LOG_FORMATS = ("json", "text")
ANY_TENANT = "*"  # SHARESAFE_ALLOWED_TENANTS=*: any Microsoft 365 tenant, chosen on purpose


class SettingsError(ValueError):
    """A setting in the environment is not valid (the message names the variable)."""


def _int(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}")
    return value


def _str(environ: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    raw = (environ.get(name) or "").strip()
    return raw or default


def _read_secret_file(environ: Mapping[str, str], file_var: str) -> str | None:
    """The contents of the file `file_var` names (surrounding whitespace dropped), None when it is unset."""
    path = _str(environ, file_var)
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            value = handle.read()
    except OSError as exc:  # the path, never the contents
        raise SettingsError(f"{file_var}: cannot read {path} ({type(exc).__name__})") from None
    return value.strip()


def _secret(environ: Mapping[str, str], name: str) -> str:
    """A secret from NAME or from the file NAME_FILE names (a container secret, so the value is in
    no environment variable that `docker inspect` shows); both set is a mistake."""
    from_file = _read_secret_file(environ, f"{name}_FILE")
    direct = _str(environ, name, "") or ""
    if from_file is not None and direct:
        raise SettingsError(f"set {name} or {name}_FILE, not both")
    return direct if from_file is None else from_file


def _redis_url(environ: Mapping[str, str]) -> str | None:
    """REDIS_URL, with the password from REDIS_PASSWORD_FILE put into it when that is set."""
    url = _str(environ, "REDIS_URL")
    password = _read_secret_file(environ, "REDIS_PASSWORD_FILE")
    if password is None:
        return url
    if not url:
        raise SettingsError("REDIS_PASSWORD_FILE is set but REDIS_URL is not")
    if not password:
        raise SettingsError("REDIS_PASSWORD_FILE names an empty file")
    parts = urlsplit(url)
    if parts.password:
        raise SettingsError("REDIS_URL already holds a password: leave it out when REDIS_PASSWORD_FILE is set")
    host = parts.netloc.rpartition("@")[2]
    user = quote(unquote(parts.username or ""), safe="")
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def _check_chain_keys(raw: str) -> None:
    """SettingsError naming the bad key's position (never the key) when SHARESAFE_CHAIN_KEYS is malformed."""
    from state.records_chain import ChainKeyError, ChainKeys

    try:
        ChainKeys.parse(raw)
    except ChainKeyError as exc:
        raise SettingsError(str(exc)) from None


def _check_record_keys(raw: str) -> None:
    """SettingsError naming the bad key (never showing it) when SHARESAFE_RECORD_KEYS is not a key ring."""
    from state.encryption import KeyError_, parse_keys

    try:
        parse_keys(raw)
    except KeyError_ as exc:
        raise SettingsError(str(exc)) from None


# The Microsoft 365 Agents SDK's names for the bot's credentials (issue 17): either these or
# APP_ID / APP_PASSWORD / APP_TYPE / APP_TENANTID configure both SDKs.
AGENTS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
SDKS = ("botframework", "agents")


def _with_agents_names(environ: Mapping[str, str]) -> Mapping[str, str]:
    """The environment with APP_* filled in from the Agents SDK's CONNECTIONS__SERVICE_CONNECTION__
    SETTINGS__* names; the same setting given both ways with different values is refused."""
    found = {name: _str(environ, AGENTS_PREFIX + name) for name in ("CLIENTID", "CLIENTSECRET", "TENANTID", "AUTHTYPE")}
    if not any(found.values()):
        return environ
    wanted = {"APP_ID": found["CLIENTID"], "APP_PASSWORD": found["CLIENTSECRET"], "APP_TENANTID": found["TENANTID"]}
    if found["AUTHTYPE"]:
        kind = found["AUTHTYPE"].lower()
        if kind not in ("clientsecret", "usermanagedidentity"):
            raise SettingsError(f"{AGENTS_PREFIX}AUTHTYPE must be ClientSecret or UserManagedIdentity")
        wanted["APP_TYPE"] = ("UserAssignedMSI" if kind == "usermanagedidentity"
                              else "SingleTenant" if found["TENANTID"] else "MultiTenant")
    merged = dict(environ)
    for name, value in wanted.items():
        if not value:
            continue
        if _str(environ, name) and _str(environ, name) != value:
            raise SettingsError(f"{name} and its Agents SDK name under {AGENTS_PREFIX} are both set, differently")
        merged[name] = value
    return merged


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    APP_ID: str = ""
    # repr=False: a secret must never reach a log line, a traceback or a crash report.
    APP_PASSWORD: str = field(default="", repr=False)
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""
    # The host name the bot answers on: the tab's SSO tokens must name api://BOT_DOMAIN/APP_ID.
    BOT_DOMAIN: str = ""
    HOST: str = "127.0.0.1"
    PORT: int = 3978
    DATA_DIR: str = "./data"
    REDIS_URL: str | None = field(default=None, repr=False)  # may embed a password
    PACK: str = "national-2018"
    PACKS_DIR: str | None = None  # extra pack files (a partnership's own pack, no image rebuild)
    DIRECTORY: str | None = None
    ENV: str = "development"
    # True when SHARESAFE_ENV was set, not inferred: only an explicit development may listen beyond
    # loopback without credentials (bot/http/security.py, check_startup).
    ENV_EXPLICIT: bool = False
    IDLE_TTL: int = 86400
    RETENTION_DAYS: int = 0  # 0: no retention period set (records are kept until purged by date)
    LOG_LEVEL: str = "INFO"
    ESCALATION_MINUTES: int = 15
    ESCALATION_URGENT_MINUTES: int = 5
    REPING_POLL_SECONDS: int = 15
    # Security and operations (docs/security.md).
    ALLOWED_TENANTS: tuple[str, ...] = ()
    RECORD_KEYS: str = field(default="", repr=False)  # secret: never in a log line
    # HMAC keys signing the record chain (newest first); secret: never in a log line.
    CHAIN_KEYS: str = field(default="", repr=False)
    RATE_PER_MINUTE: int = 0
    RATE_BURST: int = 15
    METRICS_TOKEN: str = field(default="", repr=False)
    LOG_FORMAT: str = "text"
    # Which SDK carries the bot's messages: botframework (bot/channels/teams/) or agents (bot/channels/agents/).
    SDK: str = "botframework"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """Read and check the settings; SettingsError names the bad variable."""
        environ = _with_agents_names(environ)
        sdk = (_str(environ, "SHARESAFE_SDK") or "botframework").lower()
        if sdk not in SDKS:
            raise SettingsError(f"SHARESAFE_SDK must be one of {', '.join(SDKS)}")
        app_id = _str(environ, "APP_ID", "") or ""
        app_type = _str(environ, "APP_TYPE", "MultiTenant") or "MultiTenant"
        matched = next((t for t in APP_TYPES if t.lower() == app_type.lower()), None)
        if matched is None:
            raise SettingsError(f"APP_TYPE must be one of {', '.join(APP_TYPES)}")
        tenant = _str(environ, "APP_TENANTID", "") or ""
        if matched != "MultiTenant" and app_id and not tenant:
            raise SettingsError(f"APP_TENANTID is required when APP_TYPE is {matched}")
        app_password = _secret(environ, "APP_PASSWORD")
        if app_id and matched != "UserAssignedMSI" and not app_password:
            raise SettingsError("APP_PASSWORD is required when APP_ID is set")
        level = (_str(environ, "LOG_LEVEL", "INFO") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        env = (_str(environ, "SHARESAFE_ENV") or ("production" if app_id else "development")).lower()
        if env not in ENVIRONMENTS:
            raise SettingsError(f"SHARESAFE_ENV must be one of {', '.join(ENVIRONMENTS)}")
        log_format = (_str(environ, "LOG_FORMAT") or ("json" if env == "production" else "text")).lower()
        if log_format not in LOG_FORMATS:
            raise SettingsError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
        record_keys = _secret(environ, "SHARESAFE_RECORD_KEYS")
        if record_keys:
            _check_record_keys(record_keys)
        chain_keys = _secret(environ, "SHARESAFE_CHAIN_KEYS")
        if chain_keys:
            _check_chain_keys(chain_keys)
        tenants = tuple(t.strip() for t in (_str(environ, "SHARESAFE_ALLOWED_TENANTS", "") or "").split(",") if t.strip())
        if ANY_TENANT in tenants and len(tenants) > 1:
            raise SettingsError("SHARESAFE_ALLOWED_TENANTS is either * (any tenant) or a list of tenant ids, not both")
        if not tenants and env == "production" and app_id and matched != "MultiTenant":
            # A single-tenant (or managed identity) bot serves its own tenant: that is the default list.
            tenants = (tenant,)
        return cls(
            APP_ID=app_id,
            APP_PASSWORD=app_password,
            APP_TYPE=matched,
            APP_TENANTID=tenant,
            BOT_DOMAIN=(_str(environ, "BOT_DOMAIN", "") or "").strip().lower(),
            HOST=_str(environ, "HOST", "127.0.0.1") or "127.0.0.1",
            PORT=_int(environ, "PORT", 3978, 0, 65535),
            DATA_DIR=_str(environ, "SHARESAFE_DATA_DIR", "./data") or "./data",
            REDIS_URL=_redis_url(environ),
            PACK=_str(environ, "SHARESAFE_PACK", "national-2018") or "national-2018",
            PACKS_DIR=_str(environ, "SHARESAFE_PACKS_DIR"),
            DIRECTORY=_str(environ, "SHARESAFE_DIRECTORY"),
            ENV=env,
            ENV_EXPLICIT=bool(_str(environ, "SHARESAFE_ENV")),
            IDLE_TTL=_int(environ, "CONVERSATION_IDLE_TTL", 86400, 60, 365 * 86400),
            RETENTION_DAYS=_int(environ, "SHARESAFE_RETENTION_DAYS", 0, 0, 200 * 365),
            LOG_LEVEL=level,
            ESCALATION_MINUTES=_int(environ, "SHARESAFE_ESCALATION_MINUTES", 15, 1, 24 * 60),
            ESCALATION_URGENT_MINUTES=_int(environ, "SHARESAFE_ESCALATION_URGENT_MINUTES", 5, 1, 24 * 60),
            REPING_POLL_SECONDS=_int(environ, "SHARESAFE_REPING_POLL_SECONDS", 15, 1, 3600),
            ALLOWED_TENANTS=tenants,
            RECORD_KEYS=record_keys,
            CHAIN_KEYS=chain_keys,
            RATE_PER_MINUTE=_int(environ, "SHARESAFE_RATE_PER_MINUTE", 30 if env == "production" else 0, 0, 100_000),
            RATE_BURST=_int(environ, "SHARESAFE_RATE_BURST", 15, 1, 100_000),
            METRICS_TOKEN=_secret(environ, "SHARESAFE_METRICS_TOKEN"),
            LOG_FORMAT=log_format,
            SDK=sdk,
        )

    @property
    def auth_enabled(self) -> bool:
        """True when incoming requests must carry a valid Bot Framework token."""
        return bool(self.APP_ID)

    @property
    def any_tenant(self) -> bool:
        """True when activities from every Microsoft 365 tenant are accepted (no allow-list, or `*`)."""
        return not self.ALLOWED_TENANTS or self.ALLOWED_TENANTS == (ANY_TENANT,)

    @property
    def metrics_enabled(self) -> bool:
        """GET /metrics is served: always in development, in production only behind SHARESAFE_METRICS_TOKEN."""
        return bool(self.METRICS_TOKEN) or self.ENV == "development"

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr
        )
        secret = "APP_PASSWORD=<hidden>" if self.APP_PASSWORD else "APP_PASSWORD=''"
        redis = ", REDIS_URL=<set>" if self.REDIS_URL else ""
        keys = ", RECORD_KEYS=<set>" if self.RECORD_KEYS else ""
        keys += ", CHAIN_KEYS=<set>" if self.CHAIN_KEYS else ""
        metrics = ", METRICS_TOKEN=<set>" if self.METRICS_TOKEN else ""
        return f"Settings({shown}, {secret}{redis}{keys}{metrics})"

    __str__ = __repr__
