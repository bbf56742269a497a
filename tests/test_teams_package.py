"""The Teams app package: manifest valid against Microsoft's schema, settings filled in, icons right."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, Draft7Validator, validators

from bot.channels.teams import app_package as tp
from dialogs import inputs

ROOT = Path(__file__).resolve().parent.parent
TEAMS = ROOT / "deploy" / "teams"
SCHEMA_FILE = TEAMS / "schema" / "MicrosoftTeams.schema.json"

APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
ENV = {"APP_ID": APP_ID, "BOT_DOMAIN": "sharesafe.example.org"}


# --- a tiny PNG reader (independent of the code that writes the icons) ---------------------------

def read_png(data: bytes) -> tuple[int, int, int, list[tuple[int, ...]]]:
    """(width, height, colour type, pixels as tuples) for an 8-bit non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _comp, _filter, interlace = header
    assert depth == 8 and interlace == 0, "reader handles 8-bit non-interlaced PNGs only"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(line)
        prev = line
    pixels = [tuple(row[x * channels:(x + 1) * channels]) for row in rows for x in range(width)]
    return width, height, colour, pixels


# --- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture()
def package(tmp_path: Path) -> zipfile.ZipFile:
    path = tp.build_package(ENV, tmp_path / "sharesafe-teams.zip")
    return zipfile.ZipFile(path)


@pytest.fixture()
def manifest(package: zipfile.ZipFile) -> dict:
    return json.loads(package.read("manifest.json").decode("utf-8"))


def _official_validator(schema: dict):
    # Draft-04 (what the schema declares) plus `const`, which the schema uses to pin manifestVersion.
    cls = validators.extend(Draft4Validator, {"const": Draft7Validator.VALIDATORS["const"]})
    return cls(schema)


# --- the manifest ------------------------------------------------------------------------------------

def test_manifest_validates_against_the_official_schema(manifest: dict) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # The schema is itself a valid draft-04 schema. Checked without the `regex` format: from v1.23 some
    # patterns use ECMA-262 Unicode classes (\p{L}) that Python's re cannot compile; none is on a
    # field our manifest has, and Teams (JavaScript) reads them as meant.
    assert list(Draft4Validator(Draft4Validator.META_SCHEMA).iter_errors(schema)) == []
    errors = [e.message for e in _official_validator(schema).iter_errors(manifest)]
    assert errors == []
    assert manifest["manifestVersion"] == schema["properties"]["manifestVersion"]["const"]
    assert tuple(int(n) for n in manifest["manifestVersion"].split(".")) >= (1, 17)
    assert f"/v{manifest['manifestVersion']}/" in manifest["$schema"]


@pytest.mark.parametrize("breakage", [
    lambda m: m.pop("developer"),
    lambda m: m.update(manifestVersion="1.99"),
    lambda m: m["bots"][0].update(scopes=["everyone"]),
    lambda m: m.update(id="not-a-guid"),
    lambda m: m.update(accentColor="blue"),
])
def test_the_schema_check_catches_a_broken_manifest(manifest: dict, breakage) -> None:
    breakage(manifest)
    assert tp.schema_errors(manifest, tp.load_schema()) != []


def test_schema_file_is_the_one_recorded_in_its_readme() -> None:
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()
    assert digest in (SCHEMA_FILE.parent / "README.md").read_text(encoding="utf-8")


def test_bot_scopes_are_personal_and_team(manifest: dict) -> None:
    (bot,) = manifest["bots"]
    assert sorted(bot["scopes"]) == ["personal", "team"]
    assert bot["botId"] == APP_ID
    assert bot["isNotificationOnly"] is False
    assert manifest["defaultInstallScope"] == "personal"


def test_commands_are_listed_and_the_bot_understands_each(manifest: dict) -> None:
    lists = {tuple(c["scopes"]): c["commands"] for c in manifest["bots"][0]["commandLists"]}
    personal = {c["title"] for c in lists[("personal",)]}
    assert {"help", "rules", "my records", "ask my DSL", "999"} <= personal
    assert ("team",) in lists
    for commands in lists.values():
        for c in commands:
            # A command Teams offers must be one the engine acts on (or the 999 danger word).
            assert inputs.command(c["title"]) or inputs.is_danger(c["title"]), c["title"]
            assert c["description"].strip()


def test_every_placeholder_is_replaced(package: zipfile.ZipFile, manifest: dict) -> None:
    text = package.read("manifest.json").decode("utf-8")
    assert "${{" not in text and "}}" not in text
    assert manifest["id"] == APP_ID  # TEAMS_APP_ID defaults to APP_ID
    assert manifest["validDomains"] == ["sharesafe.example.org"]
    assert manifest["developer"]["privacyUrl"] == "https://sharesafe.example.org/privacy"
    assert manifest["version"] == "1.0.0"
    assert manifest["name"]["short"] == "ShareSafe"


def test_settings_from_the_environment_override_the_defaults(tmp_path: Path) -> None:
    env = dict(ENV, TEAMS_APP_ID="0c6f1d4e-8a5b-4c3d-9e2f-1a2b3c4d5e6f", TEAMS_APP_VERSION="2.3.4",
               DEVELOPER_NAME="Anytown Safeguarding", DEVELOPER_PRIVACY_URL="https://anytown.example/privacy",
               TEAMS_APP_NAME='Share "Safe"')
    m = json.loads(zipfile.ZipFile(tp.build_package(env, tmp_path / "p.zip")).read("manifest.json"))
    assert m["id"] == env["TEAMS_APP_ID"] and m["bots"][0]["botId"] == APP_ID
    assert m["version"] == "2.3.4"
    assert m["developer"]["name"] == "Anytown Safeguarding"
    assert m["developer"]["privacyUrl"] == "https://anytown.example/privacy"
    assert m["name"]["short"] == 'Share "Safe"'  # values are text, never JSON


def test_template_names_only_known_settings() -> None:
    text = (TEAMS / "manifest.template.json").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{\{([A-Za-z0-9_]+)\}\}", text))
    assert used <= set(tp.KNOWN)
    assert {"APP_ID", "TEAMS_APP_ID", "BOT_DOMAIN"} <= used


# --- errors ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["APP_ID", "BOT_DOMAIN"])
def test_a_missing_setting_is_named(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(tp.PackageError, match=missing):
        tp.build_package(env, tmp_path / "p.zip")
    assert not (tmp_path / "p.zip").exists()


def test_main_reports_a_missing_setting_and_exits_2(tmp_path: Path, capsys) -> None:
    assert tp.main(["--out", str(tmp_path / "p.zip")], environ={"APP_ID": APP_ID}) == 2
    err = capsys.readouterr().err
    assert "BOT_DOMAIN" in err and "not set" in err and "Traceback" not in err


def test_main_writes_the_package(tmp_path: Path, capsys) -> None:
    out = tmp_path / "sub" / "p.zip"
    assert tp.main(["--out", str(out)], environ=ENV) == 0
    assert out.is_file() and str(out) in capsys.readouterr().out


@pytest.mark.parametrize("name, value", [
    ("APP_ID", "my-bot"),
    ("BOT_DOMAIN", "https://sharesafe.example.org/api/messages"),
    ("BOT_DOMAIN", "sharesafe.example.org:443"),
    ("TEAMS_APP_VERSION", "1.0"),
    ("DEVELOPER_PRIVACY_URL", "http://example.org/privacy"),
    ("TEAMS_APP_NAME", "x" * 31),
])
def test_a_bad_setting_is_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(tp.PackageError, match=name):
        tp.build_package(dict(ENV, **{name: value}), tmp_path / "p.zip")


def test_an_unknown_placeholder_in_the_template_is_an_error(tmp_path: Path) -> None:
    teams = tmp_path / "teams"
    shutil.copytree(TEAMS, teams)
    template = teams / tp.TEMPLATE_NAME
    template.write_text(template.read_text().replace("${{DEVELOPER_NAME}}", "${{DEVELOPPER_NAME}}"))
    with pytest.raises(tp.PackageError, match="DEVELOPPER_NAME"):
        tp.build_package(ENV, tmp_path / "p.zip", teams_dir=teams)


def test_a_wrong_sized_icon_is_refused(tmp_path: Path) -> None:
    teams = tmp_path / "teams"
    shutil.copytree(TEAMS, teams)
    shutil.copy(teams / "outline.png", teams / "color.png")
    with pytest.raises(tp.PackageError, match="192x192"):
        tp.build_package(ENV, tmp_path / "p.zip", teams_dir=teams)


# --- the zip and the icons -----------------------------------------------------------------------------

def test_zip_holds_manifest_and_icons_at_its_root(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert package.testzip() is None


def test_the_same_settings_give_the_same_package(tmp_path: Path) -> None:
    a = tp.build_package(ENV, tmp_path / "a.zip").read_bytes()
    b = tp.build_package(ENV, tmp_path / "b.zip").read_bytes()
    assert a == b


def test_color_icon_is_192_square(package: zipfile.ZipFile) -> None:
    width, height, _colour, _pixels = read_png(package.read("color.png"))
    assert (width, height) == (192, 192)


def test_outline_icon_is_32_square_white_on_transparent(package: zipfile.ZipFile) -> None:
    width, height, colour, pixels = read_png(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert colour == 6, "needs an alpha channel (RGBA)"
    for corner in (0, 31, 32 * 31, 32 * 32 - 1):
        assert pixels[corner][3] == 0, "background must be fully transparent"
    transparent = sum(1 for p in pixels if p[3] == 0)
    opaque = sum(1 for p in pixels if p[3] == 255)
    assert transparent > 0.4 * len(pixels)
    assert opaque > 0.1 * len(pixels), "the symbol must be visible"
    assert all(p[:3] == (255, 255, 255) for p in pixels if p[3] > 0), "foreground must be white only"


def test_committed_icons_match_the_generator() -> None:
    spec = importlib.util.spec_from_file_location("make_icons", TEAMS / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    for name, (size, draw) in make_icons.ICONS.items():
        _w, _h, _c, committed = read_png((TEAMS / name).read_bytes())
        drawn = draw(size)
        assert committed == [tuple(drawn[i:i + 4]) for i in range(0, len(drawn), 4)], (
            f"{name} is stale: run python deploy/teams/make_icons.py")
    assert read_png(make_icons.png_bytes(2, 1, bytes(range(8))))[3] == [(0, 1, 2, 3), (4, 5, 6, 7)]


def test_png_reader_handles_filtered_rows() -> None:
    # One RGBA row with the Sub filter: the reader must undo it (guards the reader itself).
    raw = b"\x01" + bytes([10, 20, 30, 255, 5, 5, 5, 0])
    header = struct.pack(">IIBBBBB", 2, 1, 8, 6, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    assert read_png(data)[3] == [(10, 20, 30, 255), (15, 25, 35, 255)]
    with pytest.raises(tp.PackageError):
        tp.png_header(io.BytesIO(b"GIF89a").read())
