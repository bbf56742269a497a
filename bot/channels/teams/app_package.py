"""The Teams app package: deploy/teams/manifest.template.json filled from the environment, checked
against Microsoft's manifest schema, zipped with the two icons (what the Teams admin centre uploads).

The package declares the bot, the DSL overview as a personal tab and as a team tab
(https://BOT_DOMAIN/tab/, bot/dsl_tab, docs/dsl-tab.md), and webApplicationInfo for the tab's
Teams sign-in (api://BOT_DOMAIN/APP_ID).

`python -m bot teams-package [--out FILE]` calls main(). Settings (environment variables):

| Variable              | Default                      | Meaning                                               |
|-----------------------|------------------------------|-------------------------------------------------------|
| APP_ID                | (required)                   | The bot's Microsoft Entra app (client) id, a GUID.    |
| BOT_DOMAIN            | (required)                   | Host name the bot answers on, e.g. bot.example.org.   |
| TEAMS_APP_ID          | APP_ID                       | The Teams app's own id (a GUID); keep it stable.      |
| TEAMS_APP_VERSION     | 1.0.0                        | App version; raise it for every upload of a change.   |
| TEAMS_APP_NAME        | ShareSafe                    | Name shown in Teams (30 characters at most).          |
| DEVELOPER_NAME        | ShareSafe                    | Who publishes the app in your tenant (32 at most).    |
| DEVELOPER_WEBSITE_URL | https://BOT_DOMAIN/          | Support page (https).                                 |
| DEVELOPER_PRIVACY_URL | https://BOT_DOMAIN/privacy   | Your privacy notice (https).                          |
| DEVELOPER_TERMS_URL   | https://BOT_DOMAIN/terms     | Your terms of use (https).                            |
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

TEAMS_DIR = Path(__file__).resolve().parents[3] / "deploy" / "teams"
TEMPLATE_NAME = "manifest.template.json"
SCHEMA_PATH = Path("schema") / "MicrosoftTeams.schema.json"
# Icon file -> required width and height (Teams rejects other sizes).
ICON_SIZES = {"color.png": 192, "outline.png": 32}
DEFAULT_OUT = "sharesafe-teams.zip"
# Limits Teams applies beyond the schema (the schema allows longer command titles than the client shows).
COMMAND_TITLE_MAX = 32
COMMAND_DESCRIPTION_MAX = 128

PLACEHOLDER = re.compile(r"\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# A DNS host name: labels of letters, digits and hyphens, at least one dot, no scheme, port or path.
HOST = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$")
SEMVER = re.compile(r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)$")
HTTPS_URL = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PackageError(ValueError):
    """The package cannot be built; the message says why and names the setting to change."""


def _guid(value: str) -> str | None:
    return None if GUID.match(value) else "must be a GUID such as 00000000-0000-0000-0000-000000000000"


def _host(value: str) -> str | None:
    if HOST.match(value):
        return None
    return "must be a host name such as sharesafe.example.org (no https://, no port, no path)"


def _semver(value: str) -> str | None:
    return None if SEMVER.match(value) else "must be a version such as 1.0.0 (three whole numbers)"


def _https(value: str) -> str | None:
    return None if HTTPS_URL.match(value) and len(value) <= 2048 else "must be an https:// address"


def _max_length(limit: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if len(value) <= limit else f"must be at most {limit} characters long"
    return check


@dataclass(frozen=True)
class Variable:
    """One setting the manifest template can name as ${{NAME}}."""

    name: str
    meaning: str
    check: Callable[[str], str | None]
    # None: required. Otherwise the default, worked out from the settings resolved before it.
    default: Callable[[Mapping[str, str]], str] | None = None


VARIABLES: tuple[Variable, ...] = (
    Variable("APP_ID", "the bot's Microsoft Entra app (client) id", _guid),
    Variable("BOT_DOMAIN", "the host name the bot answers on, e.g. sharesafe.example.org", _host),
    Variable("TEAMS_APP_ID", "the Teams app id", _guid, lambda s: s["APP_ID"]),
    Variable("TEAMS_APP_VERSION", "the app version", _semver, lambda s: "1.0.0"),
    Variable("TEAMS_APP_NAME", "the app name shown in Teams", _max_length(30), lambda s: "ShareSafe"),
    Variable("DEVELOPER_NAME", "who publishes the app", _max_length(32), lambda s: "ShareSafe"),
    Variable("DEVELOPER_WEBSITE_URL", "the support page", _https, lambda s: f"https://{s['BOT_DOMAIN']}/"),
    Variable("DEVELOPER_PRIVACY_URL", "your privacy notice", _https, lambda s: f"https://{s['BOT_DOMAIN']}/privacy"),
    Variable("DEVELOPER_TERMS_URL", "your terms of use", _https, lambda s: f"https://{s['BOT_DOMAIN']}/terms"),
)
KNOWN = {v.name: v for v in VARIABLES}


def resolve_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """Every template setting from the environment or its default; PackageError names each bad one."""
    resolved: dict[str, str] = {}
    missing: list[str] = []
    invalid: list[str] = []
    for var in VARIABLES:
        raw = (environ.get(var.name) or "").strip()
        if not raw:
            if var.default is None:
                missing.append(f"{var.name} ({var.meaning})")
                continue
            try:
                raw = var.default(resolved)
            except KeyError:
                continue  # depends on a required setting that is missing: reported there
        problem = var.check(raw)
        if problem:
            invalid.append(f"{var.name} {problem}, not {raw!r}")
            continue
        resolved[var.name] = raw
    problems = []
    if missing:
        problems.append("not set: " + "; ".join(missing))
    problems.extend(invalid)
    if problems:
        raise PackageError("cannot build the Teams app package: " + ". ".join(problems)
                           + ". Set them in the environment and run again.")
    return resolved


def defaults_used(environ: Mapping[str, str]) -> list[str]:
    """Names of the optional settings that were left unset (their defaults go into the manifest)."""
    return [v.name for v in VARIABLES if v.default is not None and not (environ.get(v.name) or "").strip()]


def fill_template(template: Any, settings: Mapping[str, str]) -> Any:
    """The template with every ${{NAME}} in every string replaced (values are never parsed as JSON)."""
    if isinstance(template, dict):
        return {key: fill_template(value, settings) for key, value in template.items()}
    if isinstance(template, list):
        return [fill_template(item, settings) for item in template]
    if isinstance(template, str):
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in KNOWN:
                raise PackageError(f"the manifest template names ${{{{{name}}}}}, which is not a setting "
                                   f"this builder knows ({', '.join(KNOWN)})")
            return settings[name]
        return PLACEHOLDER.sub(replace, template)
    return template


def load_schema(teams_dir: Path = TEAMS_DIR) -> dict[str, Any]:
    """Microsoft's Teams manifest JSON schema, as kept in the repository."""
    return json.loads((teams_dir / SCHEMA_PATH).read_text(encoding="utf-8"))


def schema_errors(manifest: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Where the manifest breaks the schema, one line each (empty when it is valid)."""
    from jsonschema import Draft4Validator, Draft7Validator, validators

    # The schema says draft-04 but uses `const` (a later keyword) to pin manifestVersion:
    # draft-04 rules plus `const`, so the pin is checked rather than silently ignored.
    validator_class = validators.extend(Draft4Validator, {"const": Draft7Validator.VALIDATORS["const"]})
    validator = validator_class(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top level)'}: {e.message}" for e in errors]


def teams_rule_errors(manifest: Mapping[str, Any]) -> list[str]:
    """Rules Teams enforces that the schema does not express."""
    problems = []
    if not SEMVER.match(str(manifest.get("version", ""))):
        problems.append("version: must be three whole numbers such as 1.0.0")
    for bot in manifest.get("bots", []):
        for commands in bot.get("commandLists", []):
            titles = [c["title"] for c in commands.get("commands", [])]
            if len(set(t.lower() for t in titles)) != len(titles):
                problems.append(f"bots/commandLists {commands.get('scopes')}: command titles repeat")
            for command in commands.get("commands", []):
                if len(command["title"]) > COMMAND_TITLE_MAX:
                    problems.append(f"command {command['title']!r}: title over {COMMAND_TITLE_MAX} characters")
                if len(command["description"]) > COMMAND_DESCRIPTION_MAX:
                    problems.append(f"command {command['title']!r}: description over "
                                    f"{COMMAND_DESCRIPTION_MAX} characters")
    # A tab on a host Teams does not trust for this app opens as a blank frame.
    domains = set(manifest.get("validDomains", []))
    tabs = [(t.get("entityId"), t.get("contentUrl")) for t in manifest.get("staticTabs", [])]
    tabs += [(t.get("id"), t.get("configurationUrl")) for t in manifest.get("configurableTabs", [])]
    for name, url in tabs:
        host = urlsplit(url).hostname if url else None
        if url and host not in domains:
            problems.append(f"tab {name!r}: {url} is not on a host in validDomains")
    return problems


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from a PNG's IHDR; PackageError when it is not a PNG."""
    if len(data) < 29 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise PackageError("not a PNG file")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


def icon_errors(manifest: Mapping[str, Any], teams_dir: Path) -> list[str]:
    """Check the icons the manifest names: present, PNG, the sizes Teams requires, outline has alpha."""
    problems = []
    for role, name in manifest.get("icons", {}).items():
        path = teams_dir / name
        want = ICON_SIZES.get(name)
        if not path.is_file():
            problems.append(f"icons/{role}: {path} is missing (run deploy/teams/make_icons.py)")
            continue
        try:
            width, height, _depth, colour = png_header(path.read_bytes())
        except PackageError:
            problems.append(f"icons/{role}: {path} is not a PNG file")
            continue
        if want is not None and (width, height) != (want, want):
            problems.append(f"icons/{role}: {name} is {width}x{height}, Teams needs {want}x{want}")
        if role == "outline" and colour not in (4, 6):  # grey+alpha or RGBA: transparency needs alpha
            problems.append(f"icons/{role}: {name} has no alpha channel (it must be white on transparent)")
    return problems


def command_lists() -> list[dict[str, Any]]:
    """The bot's command menus, from the command registry (dialogs/commands.py): in a 1:1 chat its
    menu commands with their help lines; in a team only help, since the flow runs in private."""
    from dialogs.commands import REGISTRY

    personal = [{"title": c.shown_as, "description": c.help} for c in REGISTRY.menu()]
    team = [{"title": REGISTRY["help"].shown_as, "description": "How to ask ShareSafe in a private chat"}]
    return [{"scopes": ["personal"], "commands": personal}, {"scopes": ["team"], "commands": team}]


def build_manifest(environ: Mapping[str, str], teams_dir: Path = TEAMS_DIR) -> dict[str, Any]:
    """The filled-in manifest, checked against the schema and Teams' own rules."""
    settings = resolve_settings(environ)
    template = json.loads((teams_dir / TEMPLATE_NAME).read_text(encoding="utf-8"))
    manifest = fill_template(template, settings)
    for bot in manifest.get("bots", []):
        bot["commandLists"] = command_lists()
    leftover = PLACEHOLDER.search(json.dumps(manifest))
    if leftover:
        raise PackageError(f"placeholder {leftover.group(0)} was not replaced")
    problems = schema_errors(manifest, load_schema(teams_dir)) + teams_rule_errors(manifest)
    problems += icon_errors(manifest, teams_dir)
    if problems:
        raise PackageError("the Teams manifest is not valid:\n  " + "\n  ".join(problems))
    return manifest


def build_package(environ: Mapping[str, str], out_path: str | os.PathLike[str],
                  teams_dir: Path = TEAMS_DIR) -> Path:
    """Write the Teams app package zip (manifest.json, color.png, outline.png at its root)."""
    manifest = build_manifest(environ, teams_dir)
    out = Path(out_path)
    if out.is_dir():
        raise PackageError(f"--out {out} is a folder; give a file name such as {out / DEFAULT_OUT}")
    out.parent.mkdir(parents=True, exist_ok=True)
    files = {"manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
    for name in manifest["icons"].values():
        files[name] = (teams_dir / name).read_bytes()
    # Written beside the target, then renamed: a half-written zip never takes the package's name.
    handle, tmp_name = tempfile.mkstemp(prefix=".teams-package-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                # A fixed date: the same settings give a byte-identical package.
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """`python -m bot teams-package [--out FILE]`: build the package; 0 when written, 2 on a setting error."""
    parser = argparse.ArgumentParser(
        prog="python -m bot teams-package",
        description="Build the Teams app package (zip) to upload in the Teams admin centre. "
                    "Reads APP_ID and BOT_DOMAIN (required) and the optional settings listed in docs/deploy.md.")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"zip file to write (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    env = os.environ if environ is None else environ
    try:
        path = build_package(env, args.out)
    except PackageError as exc:
        print(f"teams-package: {exc}", file=sys.stderr)
        return 2
    for name in defaults_used(env):
        if name.startswith("DEVELOPER_") and name.endswith("_URL"):
            print(f"teams-package: note: {name} is not set, so the manifest links to "
                  f"{resolve_settings(env)[name]}; make sure that page exists, or set {name}.", file=sys.stderr)
    print(f"wrote {path}: upload it in the Teams admin centre (Teams apps > Manage apps > Upload new app).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
