"""Admin command line: ``python -m data_access import KIND PATH``, ``summary``, ``load-sample``, ``roll``.

Whoever runs it has the server's database in hand already; it acts as the admin "kommandoraden".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_access.engine import make_engine, migrate
from data_access.formats import KINDS
from data_access.importer import ACCEPT_ALL, import_file, plan_import, plan_text, revert_import
from data_access.queries import set_dataset_info, summary_json
from data_access.roles import RoleError, set_role
from data_access.sample import SampleLoadError, clear_data, load_sample
from domain.access import COMMAND_LINE, ROLES
from settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access", description="Nämndpanelens databas.")
    parser.add_argument("--databas", help="SQLAlchemy-URL (annars DATABASE_URL eller den inbyggda SQLite-filen)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    importing = commands.add_parser("import", help="läs in en fil (.csv eller .xlsx)")
    importing.add_argument("kind", choices=KINDS, metavar="TYP", help=f"en av: {', '.join(KINDS)}")
    importing.add_argument("path", type=Path, metavar="FIL")
    importing.add_argument("--blad", help="bladets namn i en xlsx-fil (annars det första)")
    importing.add_argument("--forhandsgranska", action="store_true",
                           help="visa vad filen skulle ändra (fel, varningar, rader som ersätts) utan att spara")
    importing.add_argument("--bekrafta", action="store_true",
                           help="godkänn filens varningar (nya namn, rader som tas bort, dubbletter …) och spara")
    undo = commands.add_parser("angra", help="ångra en import (numret står i importloggen)")
    undo.add_argument("import_id", type=int, metavar="IMPORT")
    undo.add_argument("--varfor", required=True, help="varför importen ångras (sparas i loggen)")
    commands.add_parser("summary", help="antal rader och första/sista period per tabell, som JSON")
    commands.add_parser("load-sample", help="läs in exempeldata (Exempelkommun) i en tom databas")
    commands.add_parser("migrate", help="uppdatera databasschemat")
    municipality = commands.add_parser("kommun", help="ange kommunens namn som visas i panelen")
    municipality.add_argument("namn")
    clearing = commands.add_parser("clear", help="ta bort alla data (importloggen behålls)")
    clearing.add_argument("--ja", action="store_true", help="bekräfta att alla data ska tas bort")
    role = commands.add_parser("roll", help="ge en användare (e-post eller OIDC-id) en roll")
    role.add_argument("identitet")
    role.add_argument("roll", choices=ROLES, metavar="ROLL", help=f"en av: {', '.join(ROLES)}")
    return parser


def _progress(path: Path):
    """A progress line on standard error for files large enough to take a while; none when piped."""
    if path.stat().st_size < 5 * 1024 * 1024 or not sys.stderr.isatty():
        return None

    def show(share: float) -> None:
        print(f"\rLäser {path.name}: {share * 100:3.0f} %", end="", file=sys.stderr, flush=True)
    return show


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        engine = make_engine(arguments.databas or get_settings().database_url)
        migrate(engine)
    except Exception as exc:  # no traceback for the user: say what failed
        print(f"Fel: kunde inte öppna databasen ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    if arguments.command == "import":
        # The file is read from disk in chunks, never whole into memory.
        content = arguments.path
        try:
            with content.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            print(f"Fel: {arguments.path}: filen kunde inte läsas ({exc.strerror})", file=sys.stderr)
            return 2
        if arguments.forhandsgranska:
            plan = plan_import(engine, arguments.kind, content, arguments.path.name, arguments.blad,
                               progress=_progress(arguments.path))
            print(plan_text(plan))
            return 0 if plan.ok else 1
        result = import_file(engine, arguments.kind, content, arguments.path.name, actor=COMMAND_LINE,
                             sheet=arguments.blad, accept=ACCEPT_ALL if arguments.bekrafta else (),
                             progress=_progress(arguments.path))
        if result.cautions:
            for caution in result.cautions:
                print(f"Varning: {caution}", file=sys.stderr)
            print(f"{result.message} Granska med --forhandsgranska och lägg till --bekrafta för att spara ändå.",
                  file=sys.stderr)
            return 1
        if not result.ok:
            limit = get_settings().max_problems_shown
            for problem in result.problems[:limit]:
                print(problem, file=sys.stderr)
            if len(result.problems) > limit:
                print(f"… och {len(result.problems) - limit} fel till.", file=sys.stderr)
            print(result.message, file=sys.stderr)
            return 1
        print(result.message)
        return 0
    if arguments.command == "angra":
        undone = revert_import(engine, arguments.import_id, actor=COMMAND_LINE, reason=arguments.varfor)
        print(undone.message, file=sys.stdout if undone.ok else sys.stderr)
        return 0 if undone.ok else 1
    if arguments.command == "summary":
        print(summary_json(engine))
        return 0
    if arguments.command == "load-sample":
        try:
            results = load_sample(engine)
        except SampleLoadError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        for result in results:
            print(result.message)
        return 0
    if arguments.command == "kommun":
        with engine.begin() as connection:
            set_dataset_info(connection, municipality=arguments.namn, sample="nej")
        print(f"Kommun: {arguments.namn}")
        return 0
    if arguments.command == "clear":
        if not arguments.ja:
            print("Lägg till --ja för att bekräfta att alla data ska tas bort.", file=sys.stderr)
            return 1
        clear_data(engine, COMMAND_LINE)
        print("Alla data borttagna.")
        return 0
    if arguments.command == "roll":
        try:
            identity = set_role(engine, COMMAND_LINE, arguments.identitet, arguments.roll)
        except RoleError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        print(f"{identity}: {arguments.roll}")
        return 0
    return 0  # migrate: done above


if __name__ == "__main__":
    sys.exit(main())
