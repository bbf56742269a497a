"""The deployment's directory file: organisations, their DSLs and deputies, members, admins.

YAML, pointed to by SHARESAFE_DIRECTORY. Read once at start-up; a bad file stops start-up with a
message naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.turn import Directory


class DirectoryError(ValueError):
    """The directory file is not valid."""


@dataclass(frozen=True)
class Organisation:
    """One organisation (a school, a health visiting team, a police unit...)."""

    id: str
    name: str
    pack: str | None = None
    dsls: frozenset[str] = frozenset()
    deputies: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()


@dataclass
class FileDirectory(Directory):
    """A directory read from a YAML file (or built empty when no file is configured)."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    admins: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: str | Path | None) -> "FileDirectory":
        """Read the directory file; None -> an empty directory (everyone is a practitioner)."""
        if not path:
            return cls()
        path = Path(path)
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise DirectoryError(f"{path}: file not found") from exc
        except yaml.YAMLError as exc:
            raise DirectoryError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise DirectoryError(f"{path}: must be a mapping with 'organisations'")
        orgs: dict[str, Organisation] = {}
        for org_id, raw in (data.get("organisations") or {}).items():
            if not isinstance(raw, dict):
                raise DirectoryError(f"{path}: organisation '{org_id}' must be a mapping")
            ids = {}
            for key in ("dsls", "deputies", "members"):
                value = raw.get(key) or []
                if not isinstance(value, list):
                    raise DirectoryError(f"{path}: organisation '{org_id}' field '{key}' must be a list of user ids")
                ids[key] = frozenset(str(v) for v in value)
            orgs[str(org_id)] = Organisation(
                id=str(org_id), name=str(raw.get("name", org_id)), pack=raw.get("pack"), **ids,
            )
        return cls(organisations=orgs, admins=frozenset(str(a) for a in data.get("admins") or []))

    def organisation_of(self, user_id: str) -> str:
        """The organisation a user belongs to (as member, DSL or deputy), or ''."""
        for org in self.organisations.values():
            if user_id in org.members or user_id in org.dsls or user_id in org.deputies:
                return org.id
        return ""

    def is_dsl(self, user_id: str, organisation: str) -> bool:
        """True for a DSL or deputy DSL of that organisation."""
        org = self.organisations.get(organisation)
        return org is not None and (user_id in org.dsls or user_id in org.deputies)

    def is_admin(self, user_id: str) -> bool:
        """True for a deployment administrator."""
        return user_id in self.admins

    def pack_for(self, organisation: str) -> str | None:
        """The pack the organisation chose, if any."""
        org = self.organisations.get(organisation)
        return org.pack if org else None
