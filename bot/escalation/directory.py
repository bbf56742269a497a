"""The deployment's directory file: organisations, their DSLs and deputies, members, admins, and
which policy pack each Teams tenant, team and organisation uses.

YAML, pointed to by SHARESAFE_DIRECTORY. Read once at start-up; a bad file stops start-up with a
message naming the file and the field.

    tenants:                      # a Teams tenant (channelData.tenant.id)
      "<tenant id>": {pack: cambridgeshire}
    teams:                        # a Teams team (channelData.team.id)
      "<team id>": {pack: cambridgeshire+schools}
    organisations:
      st-marys: {name: St Mary's Primary, pack: sandwell+schools, dsls: [...], members: [...]}

The most specific choice wins: organisation, then team, then tenant, then SHARESAFE_PACK.

Escalation (docs/escalation.md): each organisation may name its `partnership` and a join code
(`join_code_env` / `join_code_sha256`, or the variable SHARESAFE_JOIN_CODE_<ORGANISATION>) with which
DSLs register themselves; each partnership (or the top-level `mash:`) names the MASH destination
(a Teams `channel` id and/or an HTTPS `webhook`); `default_organisation` takes in everyone not listed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

import yaml

from bot.turn.effects import Directory, UserIds, user_ids


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
    partnership: str | None = None
    # Display names given in the file ({id: ..., name: ...} entries), by user id.
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class MashDestination:
    """Where a partnership's MASH professional-consultation hand-offs go."""

    channel: str | None = None  # a Teams channel id (19:...@thread.tacv2); the bot must be in its team
    webhook: str | None = None  # an HTTPS URL that receives the packet as JSON
    webhook_secret_env: str | None = None  # names the variable holding the HMAC-SHA256 signing key
    members: frozenset[str] = frozenset()  # MASH staff who may act on hand-offs outside the channel

    @property
    def configured(self) -> bool:
        """True when there is somewhere to deliver to."""
        return bool(self.channel or self.webhook)


@dataclass(frozen=True)
class Partnership:
    """A safeguarding partnership: its name and MASH destination."""

    id: str
    name: str
    mash: MashDestination = field(default_factory=MashDestination)


@dataclass(frozen=True)
class Member:
    """A DSL or deputy of an organisation, from the file or registered with a join code."""

    user_id: str
    name: str
    role: str  # "dsl" | "deputy"
    registered: bool = False


JOIN_CODE_MIN_LENGTH = 8
_LOOPBACK_HOSTS = frozenset({"localhost"})


def join_code_variable(org_id: str) -> str:
    """SHARESAFE_JOIN_CODE_<ORG>: the default variable holding an organisation's join code."""
    return "SHARESAFE_JOIN_CODE_" + re.sub(r"[^A-Z0-9]+", "_", org_id.upper()).strip("_")


def code_hash(code: str) -> str:
    """The SHA-256 of a join code (what the file may hold instead of the code)."""
    return hashlib.sha256(" ".join(code.split()).encode("utf-8")).hexdigest()


def _people(path: Path, org_id: str, key: str, value: Any, names: dict[str, str]) -> frozenset[str]:
    """A list of user ids, each a string or {id, name}."""
    if not isinstance(value, list):
        raise DirectoryError(f"{path}: organisation '{org_id}' field '{key}' must be a list of user ids")
    ids = []
    for entry in value:
        if isinstance(entry, dict):
            if not entry.get("id"):
                raise DirectoryError(f"{path}: organisation '{org_id}' field '{key}': each entry needs 'id'")
            ids.append(str(entry["id"]))
            if entry.get("name"):
                names[str(entry["id"])] = str(entry["name"])
        else:
            ids.append(str(entry))
    return frozenset(ids)


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _mash(path: Path, where: str, raw: Any) -> MashDestination:
    if raw is None:
        return MashDestination()
    if not isinstance(raw, dict):
        raise DirectoryError(f"{path}: {where} 'mash' must be a mapping with 'channel' and/or 'webhook'")
    channel = raw.get("channel")
    webhook = raw.get("webhook")
    if channel is not None and (not isinstance(channel, str) or not channel.strip()):
        raise DirectoryError(f"{path}: {where} mash 'channel' must be a Teams channel id (19:...)")
    if webhook is not None:
        parts = urlsplit(str(webhook))
        # The packet describes a child at risk: only over TLS (plain http only to this machine, for tests).
        if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))):
            raise DirectoryError(f"{path}: {where} mash 'webhook' must be an https:// URL")
    members = raw.get("members") or []
    if not isinstance(members, list):
        raise DirectoryError(f"{path}: {where} mash 'members' must be a list of user ids")
    secret_env = raw.get("webhook_secret_env")
    return MashDestination(
        channel=channel.strip() if isinstance(channel, str) else None,
        webhook=str(webhook) if webhook else None,
        webhook_secret_env=str(secret_env) if secret_env else None,
        members=frozenset(str(m) for m in members),
    )


def _partnerships(path: Path, data: dict[str, Any]) -> dict[str, Partnership]:
    raw = data.get("partnerships") or {}
    if not isinstance(raw, dict):
        raise DirectoryError(f"{path}: 'partnerships' must map each partnership id to its settings")
    out = {}
    for pid, entry in raw.items():
        if not isinstance(entry, dict):
            raise DirectoryError(f"{path}: partnership '{pid}' must be a mapping")
        out[str(pid)] = Partnership(id=str(pid), name=str(entry.get("name", pid)),
                                    mash=_mash(path, f"partnership '{pid}'", entry.get("mash")))
    return out


def _join_codes(path: Path, raw_orgs: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, str]:
    """organisation id -> SHA-256 of its join code (the code itself is never kept)."""
    codes: dict[str, str] = {}
    for org_id, raw in raw_orgs.items():
        org_id = str(org_id)
        digest = raw.get("join_code_sha256")
        if digest is not None:
            if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", digest):
                raise DirectoryError(f"{path}: organisation '{org_id}' field 'join_code_sha256' must be 64 hex digits")
            codes[org_id] = digest.lower()
            continue
        variable = raw.get("join_code_env") or join_code_variable(org_id)
        code = (environ.get(str(variable)) or "").strip()
        if not code:
            if raw.get("join_code_env"):
                raise DirectoryError(f"{path}: organisation '{org_id}' names join_code_env {variable}, which is not set")
            continue
        if len(code) < JOIN_CODE_MIN_LENGTH:
            raise DirectoryError(f"{variable}: a join code needs at least {JOIN_CODE_MIN_LENGTH} characters")
        codes[org_id] = code_hash(code)
    seen: dict[str, str] = {}
    for org_id, digest in codes.items():
        if digest in seen:
            raise DirectoryError(f"{path}: organisations '{seen[digest]}' and '{org_id}' have the same join code")
        seen[digest] = org_id
    return codes


def _escalation_settings(
    path: Path, data: dict[str, Any], orgs: dict[str, Organisation], partnerships: dict[str, Partnership],
    environ: Mapping[str, str],
) -> dict[str, Any]:
    """The directory fields behind escalation: partnerships, MASH, default organisation, join codes."""
    default = data.get("default_organisation")
    if default is not None and str(default) not in orgs:
        raise DirectoryError(f"{path}: default_organisation '{default}' is not under 'organisations'")
    return {
        "partnerships": partnerships,
        "mash": _mash(path, "the top-level", data.get("mash")),
        "default_organisation": str(default) if default is not None else None,
        "join_codes": _join_codes(path, data.get("organisations") or {}, environ),
    }


def _pack_map(path: Path, data: dict[str, Any], key: str) -> dict[str, str]:
    """`tenants:` or `teams:` -> {id: pack id}."""
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        raise DirectoryError(f"{path}: '{key}' must map each {key[:-1]} id to {{pack: <pack id>}}")
    out = {}
    for item_id, entry in raw.items():
        pack = entry.get("pack") if isinstance(entry, dict) else None
        if not isinstance(pack, str) or not pack:
            raise DirectoryError(f"{path}: {key[:-1]} '{item_id}' needs 'pack: <pack id>' (for example pack: sandwell)")
        out[str(item_id)] = pack
    return out


class RegisteredMembers:
    """The DSLs and deputies who registered with a join code, as last read from the store.

    Held apart from the file's directory because it is the one part that changes while the bot runs
    (any worker may register someone): refreshing it swaps this cache and never touches the file's.
    """

    def __init__(self, organisations: Iterable[str] = ()) -> None:
        self._organisations = frozenset(organisations)
        self._members: dict[str, dict[str, Member]] = {}

    def refresh(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Replace the cache with the store's list (organisations not in the file are skipped)."""
        members: dict[str, dict[str, Member]] = {}
        for row in rows:
            org_id = str(row.get("organisation", ""))
            if org_id in self._organisations and row.get("role") in ("dsl", "deputy"):
                member = Member(str(row["user_id"]), str(row.get("name", "")), str(row["role"]), registered=True)
                members.setdefault(org_id, {})[member.user_id] = member
        self._members = members

    def of(self, organisation: str) -> Mapping[str, Member]:
        """The registered members of one organisation, by user id."""
        return self._members.get(organisation, {})

    def organisation_of(self, ids: Iterable[str]) -> str | None:
        """The organisation someone registered for, by any of their ids, or None."""
        for org_id, people in self._members.items():
            if any(i in people for i in ids):
                return org_id
        return None


@dataclass(frozen=True)
class FileDirectory(Directory):
    """A directory read from a YAML file (or built empty when no file is configured)."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    admins: frozenset[str] = frozenset()
    tenant_packs: dict[str, str] = field(default_factory=dict)
    team_packs: dict[str, str] = field(default_factory=dict)
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    # Where hand-offs go for an organisation with no partnership (a one-partnership deployment).
    mash: MashDestination = field(default_factory=MashDestination)
    # Everyone not listed in any organisation belongs to this one (a one-school deployment).
    default_organisation: str | None = None
    # organisation id -> SHA-256 of its join code.
    join_codes: dict[str, str] = field(default_factory=dict, repr=False)
    # DSLs and deputies registered with a join code (the only part refreshed while running).
    registered: RegisteredMembers = field(default_factory=RegisteredMembers, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None, environ: Mapping[str, str] | None = None) -> "FileDirectory":
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
        partnerships = _partnerships(path, data)
        for org_id, raw in (data.get("organisations") or {}).items():
            if not isinstance(raw, dict):
                raise DirectoryError(f"{path}: organisation '{org_id}' must be a mapping")
            ids: dict[str, Any] = {}
            names: dict[str, str] = {}
            for key in ("dsls", "deputies", "members"):
                ids[key] = _people(path, str(org_id), key, raw.get(key) or [], names)
            partnership = raw.get("partnership")
            if partnership is not None and str(partnership) not in partnerships:
                raise DirectoryError(f"{path}: organisation '{org_id}' names partnership '{partnership}', which is not under 'partnerships'")
            ids["partnership"] = str(partnership) if partnership is not None else None
            ids["names"] = names
            pack = raw.get("pack")
            if pack is not None and (not isinstance(pack, str) or not pack):
                raise DirectoryError(f"{path}: organisation '{org_id}' field 'pack' must be a pack id, for example sandwell")
            orgs[str(org_id)] = Organisation(
                id=str(org_id), name=str(raw.get("name", org_id)), pack=pack, **ids,
            )
        return cls(
            organisations=orgs, admins=frozenset(str(a) for a in data.get("admins") or []),
            tenant_packs=_pack_map(path, data, "tenants"), team_packs=_pack_map(path, data, "teams"),
            **_escalation_settings(path, data, orgs, partnerships, os.environ if environ is None else environ),
            registered=RegisteredMembers(orgs),
        )

    def organisation_of(self, user: UserIds) -> str:
        """The organisation a user belongs to (as member, DSL or deputy, or registered), or ''.

        `user` is one id or all of a person's ids (Teams user id and Entra object id): the file may
        list them under either, and only someone listed under neither falls into the default.
        """
        ids = user_ids(user)
        for org in self.organisations.values():
            if any(i in org.members or i in org.dsls or i in org.deputies for i in ids):
                return org.id
        return self.registered.organisation_of(ids) or self.default_organisation or ""

    def is_dsl(self, user: UserIds, organisation: str) -> bool:
        """True for a DSL or deputy DSL of that organisation (listed in the file or registered), by any of their ids."""
        org = self.organisations.get(organisation)
        if org is None:
            return False
        registered = self.registered.of(organisation)
        return any(i in org.dsls or i in org.deputies or i in registered for i in user_ids(user))

    def is_admin(self, user: UserIds) -> bool:
        """True for a deployment administrator (by any of their ids)."""
        return any(i in self.admins for i in user_ids(user))

    def pack_for(self, organisation: str) -> str | None:
        """The pack the organisation chose, if any."""
        org = self.organisations.get(organisation)
        return org.pack if org else None

    def pack_for_team(self, team_id: str) -> str | None:
        """The pack chosen for a Teams team, if any."""
        return self.team_packs.get(team_id)

    def pack_for_tenant(self, tenant_id: str) -> str | None:
        """The pack chosen for a Teams tenant, if any."""
        return self.tenant_packs.get(tenant_id)

    def pack_choices(self) -> dict[str, str]:
        """Every pack id the file names, with where it is named (checked at start-up)."""
        choices: dict[str, str] = {}
        for tenant, pack in self.tenant_packs.items():
            choices.setdefault(pack, f"tenant '{tenant}'")
        for team, pack in self.team_packs.items():
            choices.setdefault(pack, f"team '{team}'")
        for org in self.organisations.values():
            if org.pack:
                choices.setdefault(org.pack, f"organisation '{org.id}'")
        return choices

    # ---- Escalation: who to ping, where MASH is, join codes (docs/escalation.md) ----------------

    def members_of(self, organisation: str, role: str) -> list[Member]:
        """The DSLs (role 'dsl') or deputies ('deputy') of an organisation: the file's, then registered."""
        org = self.organisations.get(organisation)
        if org is None:
            return []
        listed = org.dsls if role == "dsl" else org.deputies
        out = [Member(uid, org.names.get(uid, ""), role) for uid in sorted(listed)]
        seen = {m.user_id for m in out} | set(org.dsls) | set(org.deputies)
        for member in self.registered.of(organisation).values():
            if member.role == role and member.user_id not in seen:
                out.append(member)
        return out

    def can_ask_dsl(self, organisation: str) -> bool:
        """True when the organisation has a DSL or deputy (listed or registered), or a join code with
        which one can register: otherwise "Ask my DSL" could never reach anyone."""
        if organisation not in self.organisations:
            return False
        return bool(self.members_of(organisation, "dsl") or self.members_of(organisation, "deputy")
                    or organisation in self.join_codes)

    def can_ask_mash(self, organisation: str) -> bool:
        """True when hand-offs from the organisation have a MASH destination (a channel or webhook)."""
        return self.mash_for(organisation).configured

    def setup_gaps(self) -> list[str]:
        """What is not set up for escalation, in words for the start-up log (ids only, no names)."""
        gaps = []
        if not self.organisations:
            gaps.append("DSL directory (no SHARESAFE_DIRECTORY, or it lists no organisations): "
                        "\"Ask my DSL\" tells practitioners to call their DSL instead")
        else:
            no_dsl = sorted(o for o in self.organisations if not self.can_ask_dsl(o))
            if no_dsl:
                gaps.append(f"DSLs for organisation(s) {', '.join(no_dsl)} (none listed, no join code)")
        no_mash = sorted(o for o in self.organisations if not self.can_ask_mash(o))
        if not self.organisations and not self.mash.configured:
            gaps.append("MASH destination (no channel or webhook): practitioners are told to phone MASH")
        elif no_mash:
            gaps.append(f"MASH destination for organisation(s) {', '.join(no_mash)}")
        return gaps

    def partnership_of(self, organisation: str) -> Partnership | None:
        """The partnership an organisation belongs to, if the file says."""
        org = self.organisations.get(organisation)
        return self.partnerships.get(org.partnership) if org and org.partnership else None

    def mash_for(self, organisation: str) -> MashDestination:
        """Where the organisation's MASH hand-offs go (its partnership's, else the top-level one)."""
        partnership = self.partnership_of(organisation)
        if partnership is not None and partnership.mash.configured:
            return partnership.mash
        return self.mash

    def organisation_for_code(self, code: str) -> str | None:
        """The organisation whose join code this is, or None (compared in constant time)."""
        digest = code_hash(code)
        found = None
        for org_id, expected in self.join_codes.items():
            if hmac.compare_digest(digest, expected):
                found = org_id
        return found
