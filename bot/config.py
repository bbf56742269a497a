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
| SHARESAFE_DIRECTORY    | (unset)          | YAML file of organisations, DSLs and admins.                  |
| SHARESAFE_ENV          | development when APP_ID unset, else production.                   |
| CONVERSATION_IDLE_TTL  | 86400            | Seconds an idle conversation is kept.                         |
| LOG_LEVEL              | INFO             | Python logging level name.                                    |
| SHARESAFE_ESCALATION_MINUTES        | 15  | Minutes before an unacknowledged DSL request is re-pinged. |
| SHARESAFE_ESCALATION_URGENT_MINUTES | 5   | The same for a request marked urgent.                      |
| SHARESAFE_REPING_POLL_SECONDS       | 15  | How often each worker looks for re-pings that are due.     |
| SHARESAFE_JOIN_CODE_<ORGANISATION>  |     | Join code DSLs register with (see docs/escalation.md).     |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Mapping

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    APP_ID: str = ""
    # repr=False: a secret must never reach a log line, a traceback or a crash report.
    APP_PASSWORD: str = field(default="", repr=False)
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""
    HOST: str = "127.0.0.1"
    PORT: int = 3978
    DATA_DIR: str = "./data"
    REDIS_URL: str | None = field(default=None, repr=False)  # may embed a password
    PACK: str = "national-2018"
    DIRECTORY: str | None = None
    ENV: str = "development"
    IDLE_TTL: int = 86400
    LOG_LEVEL: str = "INFO"
    ESCALATION_MINUTES: int = 15
    ESCALATION_URGENT_MINUTES: int = 5
    REPING_POLL_SECONDS: int = 15

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """Read and check the settings; SettingsError names the bad variable."""
        app_id = _str(environ, "APP_ID", "") or ""
        app_type = _str(environ, "APP_TYPE", "MultiTenant") or "MultiTenant"
        matched = next((t for t in APP_TYPES if t.lower() == app_type.lower()), None)
        if matched is None:
            raise SettingsError(f"APP_TYPE must be one of {', '.join(APP_TYPES)}")
        tenant = _str(environ, "APP_TENANTID", "") or ""
        if matched != "MultiTenant" and app_id and not tenant:
            raise SettingsError(f"APP_TENANTID is required when APP_TYPE is {matched}")
        if app_id and matched != "UserAssignedMSI" and not _str(environ, "APP_PASSWORD"):
            raise SettingsError("APP_PASSWORD is required when APP_ID is set")
        level = (_str(environ, "LOG_LEVEL", "INFO") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        env = (_str(environ, "SHARESAFE_ENV") or ("production" if app_id else "development")).lower()
        return cls(
            APP_ID=app_id,
            APP_PASSWORD=_str(environ, "APP_PASSWORD", "") or "",
            APP_TYPE=matched,
            APP_TENANTID=tenant,
            HOST=_str(environ, "HOST", "127.0.0.1") or "127.0.0.1",
            PORT=_int(environ, "PORT", 3978, 0, 65535),
            DATA_DIR=_str(environ, "SHARESAFE_DATA_DIR", "./data") or "./data",
            REDIS_URL=_str(environ, "REDIS_URL"),
            PACK=_str(environ, "SHARESAFE_PACK", "national-2018") or "national-2018",
            DIRECTORY=_str(environ, "SHARESAFE_DIRECTORY"),
            ENV=env,
            IDLE_TTL=_int(environ, "CONVERSATION_IDLE_TTL", 86400, 60, 365 * 86400),
            LOG_LEVEL=level,
            ESCALATION_MINUTES=_int(environ, "SHARESAFE_ESCALATION_MINUTES", 15, 1, 24 * 60),
            ESCALATION_URGENT_MINUTES=_int(environ, "SHARESAFE_ESCALATION_URGENT_MINUTES", 5, 1, 24 * 60),
            REPING_POLL_SECONDS=_int(environ, "SHARESAFE_REPING_POLL_SECONDS", 15, 1, 3600),
        )

    @property
    def auth_enabled(self) -> bool:
        """True when incoming requests must carry a valid Bot Framework token."""
        return bool(self.APP_ID)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr
        )
        secret = "APP_PASSWORD=<hidden>" if self.APP_PASSWORD else "APP_PASSWORD=''"
        redis = ", REDIS_URL=<set>" if self.REDIS_URL else ""
        return f"Settings({shown}, {secret}{redis})"

    __str__ = __repr__
