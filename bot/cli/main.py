"""Command line: `python -m bot [serve]`, `python -m bot chat [--json]`, `python -m bot records ...`; each subcommand's work lives beside it in bot/cli/ (or bot/channels/terminal.py for chat)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from typing import Sequence, TextIO

from bot.cli import lifecycles, packs, phrases, scenarios
from bot.config import Settings, SettingsError
from state.interfaces import StoreError

log = logging.getLogger("sharesafe")


def setup_logging(level: str, fmt: str = "text") -> None:
    """Log to stderr, as JSON lines or text (bot/logs.py). Nothing logged may contain what a practitioner typed."""
    from bot.logs import setup_logging as configure

    configure(level, fmt)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: every subcommand, each with its own --help."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="ShareSafe: safeguarding information-sharing guidance.")
    # --port/--host work with or without the word "serve" (`python -m bot --port 8080`).
    parser.add_argument("--port", type=int, help="port for the web server (default: PORT or 3978)")
    parser.add_argument("--host", help="address for the web server (default: HOST or 127.0.0.1)")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the Bot Framework web server (the default)")
    serve.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port (default: PORT or 3978)")
    serve.add_argument("--host", default=argparse.SUPPRESS,
                       help="address (default: HOST or 127.0.0.1; use 0.0.0.0 in a container)")

    chat = sub.add_parser(
        "chat", help="talk to the bot in this terminal (same engine and stores)",
        description="Talk to the bot in this terminal, with the same engine and stores as Teams. "
                    "Choose the policy pack with SHARESAFE_PACK, for example: "
                    "SHARESAFE_PACK=surrey python -m bot chat (packs: dialogs/packs/*.yaml, plus any in "
                    "SHARESAFE_PACKS_DIR; combined ids such as sandwell+schools work too).",
    )
    chat.add_argument("--json", action="store_true", help="one JSON object per reply per line, for scripts")
    chat.add_argument("--user", default="terminal-user", help="practitioner id (default: terminal-user)")
    chat.add_argument("--conversation", help="conversation id to resume (default: terminal:<user>)")

    for tool in (packs, scenarios, phrases):
        tool.add_parser(sub)
    lifecycles.add_parsers(sub)

    package = sub.add_parser("teams-package", help="build the Teams app package zip to upload (docs/deploy.md)")
    package.add_argument("--out", default="sharesafe-teams.zip", help="where to write the zip")

    records = sub.add_parser("records", help="export, verify or purge decision records (administrators)")
    rsub = records.add_subparsers(dest="records_command", required=True)
    export = rsub.add_parser("export", help="write records as JSON lines or CSV (administrators)")
    export.add_argument("--admin", metavar="USER_ID", help="your user id, listed under admins in the directory file")
    export.add_argument("--since", help="only records filed on or after this date (YYYY-MM-DD)")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--out", help="file to write (default: standard output)")
    verify = rsub.add_parser("verify", help="check the records' hash chain (reveals no record content)")
    verify.add_argument("--checkpoint", help="a file `records checkpoint` wrote: prove nothing before it changed")
    checkpoint = rsub.add_parser("checkpoint", help="print a signed checkpoint of the chain for an auditor")
    checkpoint.add_argument("--out", help="write it to this file instead of standard output")
    rsub.add_parser("new-chain-key", help="print a fresh key for SHARESAFE_CHAIN_KEYS (see docs/security.md)")
    rsub.add_parser("new-key", help="print a fresh key for SHARESAFE_RECORD_KEYS (see docs/security.md)")
    purge = rsub.add_parser("purge", help="remove records older than the retention period (administrators)")
    purge.add_argument("--admin", metavar="USER_ID", help="your user id, listed under admins in the directory file")
    when = purge.add_mutually_exclusive_group(required=True)
    when.add_argument("--before", help="remove records filed before this date (YYYY-MM-DD)")
    when.add_argument("--older-than-days", type=int, help="remove records older than this many days")
    when.add_argument("--retention", action="store_true",
                      help="remove records older than the retention period (SHARESAFE_RETENTION_DAYS)")
    purge.add_argument("--yes", action="store_true", help="confirm: records removed cannot be recovered")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, parsed (argparse exits on --help or a usage error)."""
    return build_parser().parse_args(argv)


async def records(settings: Settings, args: argparse.Namespace) -> int:
    """`records export|verify|purge` against the configured record store."""
    from bot.cli import records as records_cli
    from state.factory import open_stores

    if args.records_command == "new-key":
        from state.encryption import new_key

        sys.stdout.write(new_key() + "\n")
        return 0
    if args.records_command == "new-chain-key":
        from state.records_chain import new_chain_key

        sys.stdout.write(new_chain_key() + "\n")
        return 0
    if args.records_command in ("export", "purge"):
        problem = records_cli.admin_problem(settings.DIRECTORY, args.admin, args.records_command)
        if problem:
            sys.stderr.write(problem + "\n")
            return 2
    if args.records_command == "purge" and not args.yes:
        sys.stderr.write("Purging removes records for good. Add --yes to confirm.\n")
        return 2
    if getattr(args, "retention", False):
        if not settings.RETENTION_DAYS:
            sys.stderr.write("No retention period is set: set SHARESAFE_RETENTION_DAYS, or use --before DATE.\n")
            return 2
        args.older_than_days = settings.RETENTION_DAYS
    try:
        since = records_cli.parse_date(args.since) if getattr(args, "since", None) else None
        before = (records_cli.parse_date(args.before) if getattr(args, "before", None)
                  else records_cli.retention_cutoff(args.older_than_days) if getattr(args, "older_than_days", None) is not None
                  else None)
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    # With SHARESAFE_RECORD_KEYS the export is decrypted (for the administrator checked above);
    # without, it is the stored form (free text encrypted, where it was filed with a key).
    # verify needs no key either way.
    stores = await open_stores(redis_url=settings.REDIS_URL, data_dir=settings.DATA_DIR,
                               idle_ttl_seconds=settings.IDLE_TTL, record_keys=settings.RECORD_KEYS,
                               chain_keys=settings.CHAIN_KEYS)
    try:
        if args.records_command == "export":
            stats = records_cli.ExportStats()
            if args.out:
                with open(args.out, "w", encoding="utf-8", newline="") as out:
                    count = await records_cli.export(stores.records, since=since, fmt=args.format, out=out,
                                                     stats=stats)
            else:
                count = await records_cli.export(stores.records, since=since, fmt=args.format, out=sys.stdout,
                                                 stats=stats)
            # Says the free text is encrypted only when records actually hold encrypted text.
            sys.stderr.write(stats.summary() + "\n")
            log.info("records export by administrator %s: %d records, decrypted=%s",
                     args.admin, count, bool(settings.RECORD_KEYS))
            return 0
        if args.records_command == "verify":
            return await records_cli.verify(stores.records, checkpoint=args.checkpoint, chain_keys=settings.CHAIN_KEYS)
        if args.records_command == "checkpoint":
            if args.out:
                with open(args.out, "w", encoding="utf-8") as out:
                    return await records_cli.checkpoint(stores.records, chain_keys=settings.CHAIN_KEYS, out=out)
            return await records_cli.checkpoint(stores.records, chain_keys=settings.CHAIN_KEYS)
        log.info("records purge by administrator %s: before %s", args.admin, before.date().isoformat())
        return await records_cli.purge(stores.records, before=before)
    finally:
        await stores.close()


def serve(settings: Settings, host: str | None, port: int | None) -> int:
    """Run the web server until interrupted."""
    from aiohttp import web

    from bot.http.app import create_app

    from bot.http.security import listen_address

    host = listen_address(host or settings.HOST)
    port = settings.PORT if port is None else port
    # The start-up checks judge the address really listened on (--host included): without APP_ID,
    # only loopback, unless SHARESAFE_ENV=development says otherwise.
    settings = dataclasses.replace(settings, HOST=host, PORT=port)
    app = create_app(settings)  # refuses an unsafe configuration before anything listens
    log.info("ShareSafe listening on %s:%d (pack %s, %s, %s)", host, port, settings.PACK,
             "Redis" if settings.REDIS_URL else "SQLite",
             "Microsoft 365 Agents SDK" if settings.SDK == "agents" else "Bot Framework SDK")
    try:
        web.run_app(app, host=host, port=port, print=None,
                    access_log_format='%a "%r" %s %b %Tf')
    except OSError as exc:  # the address is not this machine's, or the port is taken
        sys.stderr.write(f"Configuration error: cannot listen on {host} port {port} ({exc.strerror or type(exc).__name__}).\n")
        return 2
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point: the exit code (`out` takes what the tools print, for tests)."""
    try:
        args = parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse has printed it
        return int(exc.code or 0)
    # The tools need no settings or stores.
    tools = {"packs": packs.command, "phrases": phrases.command, "scenarios": scenarios.command,
             **{name: lifecycles.main for name in lifecycles.LIFECYCLES}}
    if args.command in tools:
        return tools[args.command](args, out)
    if args.command == "teams-package":  # needs the ids, not the password or the stores
        from bot.channels.teams.app_package import main as teams_package_main

        return teams_package_main(["--out", args.out])
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        return 2
    setup_logging(settings.LOG_LEVEL, settings.LOG_FORMAT)
    try:
        if args.command == "chat":
            from bot.channels.terminal import chat

            return asyncio.run(chat(settings, user=args.user, conversation=args.conversation, as_json=args.json))
        if args.command == "records":
            return asyncio.run(records(settings, args))
        return serve(settings, getattr(args, "host", None), getattr(args, "port", None))
    except ValueError as exc:  # SettingsError, PackError, DirectoryError: each names the file or variable
        sys.stderr.write(f"Configuration error: {exc}\n")
        return 2
    except StoreError as exc:
        sys.stderr.write(f"Store error: {type(exc).__name__}: {exc}\n")
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
