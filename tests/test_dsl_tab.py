"""The DSL overview tab's API over HTTP: who may see it (development sign-in and Entra ID SSO tokens
signed by a local test key), the counts on a seeded store, opening a record or request, and CSV."""

from __future__ import annotations

import csv
import io
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.http import app as app_module
from bot.config import Settings
from bot.dsl_tab import TAB_AUTH_KEY
from dialogs import uk_time
from state.encryption import new_key
from tests.browser import seed
from tests.fixtures import APP_ID, DIRECTORY_YAML, OpenIdServer, pem, rsa_key

TRUSTED = rsa_key()
UNTRUSTED = rsa_key()
KID = "entra-test-key"
TENANT = "72f988bf-0000-4000-8000-000000000001"
OTHER_TENANT = "72f988bf-0000-4000-8000-000000000002"
DSL_OID = "0a1b2c3d-0000-4000-8000-0000000000d1"
PRAC_OID = "0a1b2c3d-0000-4000-8000-0000000000b1"
NOW = datetime.now(timezone.utc)
RECORDS, REQUESTS = seed.plan(NOW, 120, 21)


def _days(d: datetime) -> date:
    return uk_time.local(d).date()


async def _client(settings: Settings) -> TestClient:
    return TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1"))


@pytest.fixture
async def dev(tmp_path: Path) -> AsyncIterator[tuple[TestClient, list[str], list[str]]]:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path / "data"),
                                  "SHARESAFE_DIRECTORY": str(seed.write_directory(tmp_path / "directory.yaml"))})
    async with await _client(settings) as client:
        refs, ids = await seed.seed(client.app[app_module.STORES_KEY], RECORDS, REQUESTS)
        yield client, refs, ids


async def sign_in(client: TestClient, user_id: str) -> dict[str, str]:
    response = await client.post("/tab/api/dev-signin", json={"user_id": user_id})
    assert response.status == 200
    return {"Authorization": "Bearer " + (await response.json())["token"]}


async def overview(client: TestClient, headers: dict[str, str], **query: str) -> tuple[int, dict[str, Any]]:
    response = await client.get("/tab/api/overview", headers=headers, params=query)
    return response.status, await response.json()


# ---- what a DSL sees ----------------------------------------------------------------------------

async def test_a_dsl_sees_their_organisations_requests_overdue_first_and_nothing_of_another(dev) -> None:
    client, _, ids = dev
    status, view = await overview(client, await sign_in(client, seed.DSL[0]))
    assert status == 200 and view["organisation"]["name"] == "Oakfield Primary School"
    assert view["viewer"] == "Alex Lead"  # the directory's name, not an id
    open_dsl = [ids[n] for n, q in enumerate(REQUESTS)
                if q.organisation == seed.ORG and q.kind == "dsl" and q.status != "resolved"]
    mash = [ids[n] for n, q in enumerate(REQUESTS) if q.organisation == seed.ORG and q.kind == "mash"]
    assert sorted(r["id"] for r in view["requests"]) == sorted(open_dsl)
    assert sorted(r["id"] for r in view["handoffs"]) == sorted(mash)
    overdue = [r["overdue"] for r in view["requests"]]
    assert True in overdue and overdue == sorted(overdue, reverse=True)  # every overdue one above the rest
    # Waiting longer than the urgent re-ping period (5 min) without anyone acknowledging is overdue.
    for row in view["requests"]:
        n = ids.index(row["id"])
        waited = NOW - REQUESTS[n].created_at
        expected = REQUESTS[n].status == "requested" and waited > timedelta(minutes=5 if REQUESTS[n].urgent else 15)
        assert row["overdue"] == expected, row["id"]
        assert row["acknowledged_by"] == ("" if REQUESTS[n].status == "requested" else "Alex Lead")
    assert all(r["callback_text"].endswith(("GMT", "BST")) for r in view["handoffs"])
    assert all(r["status_label"] != "Waiting for a DSL" for r in view["handoffs"])  # MASH's own words


async def test_the_charts_count_the_organisations_records_per_week_by_outcome_pack_and_consent(dev) -> None:
    client, _, _ = dev
    start = _days(NOW) - timedelta(days=40)
    status, view = await overview(client, await sign_in(client, seed.DSL[0]), **{"from": start.isoformat()})
    assert status == 200 and view["range"]["from"] == start.isoformat()
    mine = [r for r in RECORDS if r.organisation == seed.ORG and start <= _days(r.decided_at) <= _days(NOW)]
    assert view["totals"]["records"] == len(mine) > 0
    assert sum(view["charts"]["totals"]) == len(mine)
    outcome = {s["label"]: s["total"] for s in view["charts"]["by_outcome"]}
    assert outcome == {label: sum(1 for r in mine if r.decision == d) for d, label in
                       (("share", "Share"), ("do_not_share", "Do not share"), ("seek_advice", "Seek advice"))
                       if any(r.decision == d for r in mine)}
    packs = {s["label"]: s["total"] for s in view["charts"]["by_pack"]}
    assert packs == {t: sum(1 for r in mine if r.pack_title == t) for t in {r.pack_title for r in mine}}
    assert seed.PACKS[0][2] in packs and "cambridgeshire" not in packs  # the pack's title, not its id
    consent = {s["label"]: s["total"] for s in view["charts"]["by_consent"]}
    words = {"obtained": "Given", "refused": "Refused", "not_sought": "Not sought", "not_needed": "Not needed"}
    assert consent == {words[c]: sum(1 for r in mine if r.consent == c) for c in {r.consent for r in mine}}
    # Each week's bar counts the records decided Monday to Sunday in England.
    for week, total in zip(view["charts"]["weeks"], view["charts"]["totals"]):
        monday = date.fromisoformat(week["start"])
        assert total == sum(1 for r in mine if monday <= _days(r.decided_at) < monday + timedelta(days=7))
    corrections = [r for r in mine if r.corrects_index is not None]
    assert len(view["corrections"]) == len(corrections)


async def test_an_old_open_request_and_an_undelivered_one_are_not_hidden_by_the_date_filter(dev) -> None:
    client, _, _ = dev
    stores = client.app[app_module.STORES_KEY]
    long_ago = NOW - timedelta(weeks=20)  # before the default 12 weeks and the filter below
    old, _ = await stores.escalations.create({
        "kind": "dsl", "organisation": seed.ORG, "urgent": False, "summary": "x",
        "practitioner": {"user_id": seed.PRACTITIONER[0], "name": seed.PRACTITIONER[1]},
        "created_at": long_ago, "due_at": long_ago + timedelta(minutes=15)}, "old-open")
    lost, _ = await stores.escalations.create({
        "kind": "dsl", "organisation": seed.ORG, "urgent": True, "summary": "x",
        "practitioner": {"user_id": seed.PRACTITIONER[0], "name": seed.PRACTITIONER[1]},
        "created_at": NOW - timedelta(minutes=2), "due_at": NOW}, "undelivered")
    await stores.escalations.transition(lost["id"], "undeliverable", by="system", name="ShareSafe", at=NOW)
    headers = await sign_in(client, seed.DSL[0])
    for query in ({}, {"from": (_days(NOW) - timedelta(days=7)).isoformat()}):
        status, view = await overview(client, headers, **query)
        rows = {r["id"]: r for r in view["requests"]}
        assert status == 200 and old["id"] in rows and lost["id"] in rows, query
        assert rows[old["id"]]["overdue"] and rows[lost["id"]]["overdue"]
        assert rows[lost["id"]]["status_label"] == "Could not be delivered"
        assert view["requests"][0]["overdue"]
    # A range that ends before the undelivered one was raised leaves it out; the open one stays.
    _, view = await overview(client, headers, to=(_days(NOW) - timedelta(days=1)).isoformat())
    assert old["id"] in [r["id"] for r in view["requests"]] and lost["id"] not in [r["id"] for r in view["requests"]]


async def test_another_organisations_dsl_and_a_practitioner_see_nothing_of_oakfield(dev) -> None:
    client, refs, ids = dev
    status, view = await overview(client, await sign_in(client, seed.PRACTITIONER[0]))
    assert status == 403 and "DSLs" in view["error"] and "requests" not in view
    # Not the page only: a practitioner of the same school gets no record, request or export either.
    practitioner = await sign_in(client, seed.PRACTITIONER[0])
    own_record = refs[[r.organisation for r in RECORDS].index(seed.ORG)]
    for path in (f"/tab/api/records/{own_record}", f"/tab/api/requests/{ids[0]}", "/tab/api/export.csv"):
        assert (await client.get(path, headers=practitioner)).status == 403, path
    status, view = await overview(client, await sign_in(client, "29:dsl-n"))  # DSL of No MASH School
    assert status == 200 and view["organisation"]["name"] == "No MASH School"
    assert view["requests"] == [] and view["handoffs"] == [] and view["totals"]["records"] == 0
    other = await sign_in(client, "29:dsl-n")
    oakfield_record = refs[[r.organisation for r in RECORDS].index(seed.ORG)]
    assert (await client.get(f"/tab/api/records/{oakfield_record}", headers=other)).status == 404
    assert (await client.get(f"/tab/api/requests/{ids[0]}", headers=other)).status == 404
    csv_response = await client.get("/tab/api/export.csv", params={"what": "records"}, headers=other)
    assert oakfield_record not in await csv_response.text()


async def test_no_token_or_a_forged_one_is_refused(dev) -> None:
    client, _, _ = dev
    assert (await overview(client, {}))[0] == 401
    forged = jwt.encode({"iss": "sharesafe-dev-signin", "sub": seed.DSL[0], "exp": int(time.time()) + 600},
                        b"a guessed secret, 32 bytes long!", algorithm="HS256")
    status, body = await overview(client, {"Authorization": f"Bearer {forged}"})
    assert status == 401 and "Sign in" in body["error"]
    assert (await client.get("/tab/api/export.csv", headers={"Authorization": f"Bearer {forged}"})).status == 401


async def test_a_dsl_opens_a_record_and_a_request_of_their_organisation(dev) -> None:
    client, refs, ids = dev
    headers = await sign_in(client, seed.DSL[0])
    n = [r.organisation for r in RECORDS].index(seed.ORG)
    record = await (await client.get(f"/tab/api/records/{refs[n].lower()}", headers=headers)).json()
    assert record["reference"] == refs[n] and record["pack"] == RECORDS[n].pack_title
    assert record["answers"][0]["question"].startswith("Is there a clear")
    assert record["decided_text"] == uk_time.day_and_time(RECORDS[n].decided_at)
    m = next(i for i, q in enumerate(REQUESTS) if q.organisation == seed.ORG and q.status == "calling")
    request = await (await client.get(f"/tab/api/requests/{ids[m]}", headers=headers)).json()
    assert [h["status"] for h in request["history"]] == ["Waiting for a DSL", "Acknowledged", "Calling back"]
    assert request["history"][1]["by"] == "Alex Lead"


async def test_csv_export_is_the_table_shown_and_cannot_run_as_a_formula(dev) -> None:
    client, _, _ = dev
    headers = await sign_in(client, seed.DSL[0])
    stores = client.app[app_module.STORES_KEY]
    await stores.escalations.create({"kind": "dsl", "organisation": seed.ORG, "urgent": False, "summary": "x",
                                     "practitioner": {"user_id": "29:prac-2", "name": "=HYPERLINK(\"http://x\")"}},
                                    "formula-name")
    _, view = await overview(client, headers)
    response = await client.get("/tab/api/export.csv", params={"what": "requests"}, headers=headers)
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await response.text()).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Reference", "Kind", "Urgent", "Status"]
    assert [r[0] for r in rows[1:]] == [r["id"] for r in view["requests"]]
    assert any(r[-1] == "'=HYPERLINK(\"http://x\")" for r in rows[1:])
    weeks = list(csv.reader(io.StringIO((await (await client.get(
        "/tab/api/export.csv", params={"what": "weeks"}, headers=headers)).text()).lstrip("\ufeff"))))
    assert weeks[1][-1] == str(view["totals"]["records"])
    assert (await client.get("/tab/api/export.csv", params={"what": "secrets"}, headers=headers)).status == 400


async def test_the_page_is_served_with_a_strict_policy_and_nothing_outside_its_folder(dev) -> None:
    client, _, _ = dev
    page = await client.get("/tab/")
    assert page.status == 200 and "Safeguarding overview" in await page.text()
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors" in policy and "teams.microsoft.com" in policy
    assert (await client.get("/tab/static/tab.js")).status == 200
    assert (await client.get("/tab/static/vendor/MicrosoftTeams.min.js")).status == 200
    for path in ("/tab/static/../auth.py", "/tab/static/%2e%2e/auth.py", "/tab/static/../../config.py"):
        assert (await client.get(path)).status == 404


# ---- production: Teams SSO tokens from Microsoft Entra ID ---------------------------------------

def entra_token(key: Any = TRUSTED, kid: str = KID, *, oid: str = DSL_OID, tenant: str = TENANT,
                audience: str = f"api://bot.example.org/{APP_ID}", issuer: str | None = None,
                expires_in: int = 3600) -> str:
    """A token shaped like the one Teams SSO (getAuthToken) gives the tab."""
    now = int(time.time())
    claims = {"iss": issuer or f"https://login.microsoftonline.com/{tenant}/v2.0", "aud": audience, "tid": tenant,
              "oid": oid, "name": "Alex Lead", "nbf": now - 60, "iat": now - 60, "exp": now + expires_in,
              "jti": uuid.uuid4().hex}
    return jwt.encode(claims, pem(key), algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def production(tmp_path: Path) -> AsyncIterator[TestClient]:
    directory = tmp_path / "directory.yaml"
    directory.write_text(DIRECTORY_YAML.format(webhook="https://mash.invalid/hook", channel="19:m@thread.tacv2")
                         .replace('"29:dsl-1"', f'"{DSL_OID}"').replace('"29:prac-1"', f'"{PRAC_OID}"'),
                         encoding="utf-8")
    settings = Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": "not-a-real-secret",
                                  "SHARESAFE_ALLOWED_TENANTS": TENANT, "SHARESAFE_RECORD_KEYS": new_key(),
                                  "SHARESAFE_CHAIN_KEYS": new_key(), "SHARESAFE_DATA_DIR": str(tmp_path / "data"),
                                  "SHARESAFE_DIRECTORY": str(directory), "BOT_DOMAIN": "bot.example.org"})
    keys = OpenIdServer({KID: TRUSTED}).start()
    try:
        async with await _client(settings) as client:
            client.app[TAB_AUTH_KEY].jwks_url = keys.url.rsplit("/", 4)[0] + "/keys"
            await seed.seed(client.app[app_module.STORES_KEY], RECORDS[:30], REQUESTS[:6])
            yield client
    finally:
        keys.stop()


async def test_a_dsls_teams_sso_token_opens_the_tab(production: TestClient) -> None:
    status, view = await overview(production, {"Authorization": f"Bearer {entra_token()}"})
    assert status == 200 and view["organisation"]["id"] == "oakfield"
    assert (await overview(production, {"Authorization": f"Bearer {entra_token(audience=APP_ID)}"}))[0] == 200


@pytest.mark.parametrize("token, status", [
    (lambda: entra_token(oid=PRAC_OID), 403),
    (lambda: entra_token(UNTRUSTED), 401),
    (lambda: entra_token(UNTRUSTED, "attacker-key"), 401),
    (lambda: entra_token(tenant=OTHER_TENANT), 401),
    (lambda: entra_token(issuer="https://login.microsoftonline.com/someone-else/v2.0"), 401),
    (lambda: entra_token(audience="api://bot.example.org/99999999-8888-7777-6666-555555555555"), 401),
    (lambda: entra_token(audience=f"api://another-deployment.example.net/{APP_ID}"), 401),
    (lambda: entra_token(expires_in=-3600), 401),
    (lambda: jwt.encode({"iss": "sharesafe-dev-signin", "sub": DSL_OID, "exp": int(time.time()) + 60},
                        b"x" * 32, algorithm="HS256"), 401),
], ids=["practitioner", "untrusted key", "unknown key", "tenant not allowed", "wrong issuer", "wrong audience",
        "another deployment's domain", "expired", "development token"])
async def test_in_production_only_a_valid_token_of_a_dsl_is_let_in(production: TestClient, token, status) -> None:
    got, body = await overview(production, {"Authorization": f"Bearer {token()}"})
    assert got == status and "requests" not in body


async def test_production_has_no_development_sign_in(production: TestClient) -> None:
    response = await production.post("/tab/api/dev-signin", json={"user_id": DSL_OID})
    assert response.status in (404, 405)


# ---- the Teams app package declares the tab ------------------------------------------------------

def test_the_teams_package_declares_a_personal_and_a_team_tab_with_sign_in() -> None:
    from bot.channels.teams.app_package import TEAMS_DIR, build_manifest, teams_rule_errors

    manifest = build_manifest({"APP_ID": APP_ID, "BOT_DOMAIN": "bot.example.org"}, TEAMS_DIR)  # schema-checked
    personal = next(t for t in manifest["staticTabs"] if t["entityId"] == "dsl-overview")
    assert personal["contentUrl"] == "https://bot.example.org/tab/" and personal["scopes"] == ["personal"]
    (team,) = manifest["configurableTabs"]
    assert team["configurationUrl"] == "https://bot.example.org/tab/configure" and team["scopes"] == ["team"]
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://bot.example.org/{APP_ID}"}
    moved = {**manifest, "staticTabs": [{**personal, "contentUrl": "https://elsewhere.example.org/tab/"}]}
    assert any("validDomains" in p for p in teams_rule_errors(moved))


async def test_the_team_tabs_configuration_page_is_served(dev) -> None:
    client, _, _ = dev
    response = await client.get("/tab/configure")
    assert response.status == 200 and "setConfig" in await (await client.get("/tab/static/configure.js")).text()


async def test_the_development_sign_in_refuses_anyone_not_on_this_machine(dev) -> None:
    from unittest import mock

    from aiohttp.test_utils import make_mocked_request

    from bot.dsl_tab import TabApi

    client, _, _ = dev
    api = TabApi(client.app[app_module.SETTINGS_KEY], lambda app: (None, None), client.app[TAB_AUTH_KEY])
    for peer, status in ((("10.1.2.3", 50000), 403), (("192.168.0.9", 50000), 403), (("127.0.0.1", 50000), 400)):
        transport = mock.Mock()
        transport.get_extra_info.side_effect = lambda name, default=None, peer=peer: peer if name == "peername" else default
        request = make_mocked_request("POST", "/tab/api/dev-signin", transport=transport)
        assert (await api.dev_signin(request)).status == status, peer  # 400: loopback, but no body


async def test_while_the_store_is_down_the_tab_says_so_plainly(dev) -> None:
    client, _, _ = dev
    headers = await sign_in(client, seed.DSL[0])
    await client.app[app_module.STORES_KEY].records.close()  # the database is gone from under it
    status, body = await overview(client, headers)
    assert status == 503 and "Try again" in body["error"]


async def test_a_request_shows_where_the_practitioner_is_stuck_in_words(dev) -> None:
    # A real request stores its summary as the card's fields; the tab shows the words, not a printout.
    client, _, _ = dev
    headers = await sign_in(client, seed.DSL[0])
    stores = client.app[app_module.STORES_KEY]
    summary = {"stuck_on": "Is the information confidential?", "outcome": "",
               "answers": [{"question": "Is there a clear purpose?", "answer": "Yes"}]}
    created, _ = await stores.escalations.create({"kind": "dsl", "organisation": seed.ORG, "urgent": False,
                                               "summary": summary,
                                               "practitioner": {"user_id": "29:prac-3", "name": "Sam"}},
                                              "summary-words")
    request = await (await client.get(f"/tab/api/requests/{created['id']}", headers=headers)).json()
    assert request["summary"] == "Is the information confidential?"
