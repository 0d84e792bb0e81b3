"""Admin command line: ``python -m data_access import KIND PATH``, ``summary``, ``load-sample``, ``roll``,
``kommun``, ``clear``, ``granska``, ``kolada`` and ``migrate``.

Whoever runs it has the server's database in hand already; it acts as an admin, and every write is
checked and kept in the audit trail under the operating-system user ("kalle (kommandoraden)").

A command that changes the data (``import``, ``angra``, ``load-sample``) then computes the latest period's
forecasts and the year's delår 2 track record and stores them, as the server does after an import in the
browser: the first visitor to
Prognos after a nightly import finds them ready instead of waiting for the fit. ``--utan-prognos`` leaves
that to the server (e.g. between the files of a batch).
"""

from __future__ import annotations

import argparse
import errno
import getpass
import logging
import signal
import sys
import time
from pathlib import Path

from data_access import audit, forecast_store
from data_access.dataset import DatasetError, set_municipality
from data_access.engine import (SchemaNotCurrent, database_problem, make_engine, migrate, require_current,
                                schema_version)
from data_access.forecast_versions import verify_versions
from data_access.formats import KINDS, MANY_PROBLEMS, where_problems_lie
from data_access.importer import (ACCEPT_ALL, history_text, import_file, import_history, plan_import, plan_text,
                                  revert_import)
from data_access.privileges import PrivilegeError
from data_access.queries import summary, summary_json
from data_access.roles import RoleError, set_role
from data_access.sample import SampleLoadError, clear_data, load_sample
from domain.access import ROLES, AccessDenied, Actor, command_line
from domain.formatting import format_number
from domain.periods import long_month_label
from domain.quality import lagging_sources, leading_sources
from settings import get_settings


def operator() -> Actor:
    """The admin at the keyboard, named by their operating-system account."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment nor in the password database
        user = None
    return command_line(user)


# argparse's own words in Swedish (it asks gettext, which has no Swedish catalogue for it): "usage:",
# "invalid choice" and "the following arguments are required" were the only English a user met.
ARGPARSE_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r finns inte (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "%(value)r är inte ett giltigt värde",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "expected one argument": "ett värde krävs",
    "expected at least one argument": "minst ett värde krävs",
    "expected at most one argument": "högst ett värde får anges",
    "ambiguous option: %(option)s could match %(matches)s": "flaggan %(option)s kan vara %(matches)s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "not allowed with argument %s": "får inte anges tillsammans med %s",
    "ignored explicit argument %r": "värdet %r tas inte emot",
}


# Why a file could not be opened, in Swedish (the operating system says it in English).
UNREADABLE = {errno.ENOENT: "filen finns inte", errno.EACCES: "behörighet saknas", errno.EISDIR: "det är en mapp"}


def _swedish(message: str) -> str:
    return ARGPARSE_SWEDISH.get(message, message)


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
    log = commands.add_parser("importlogg", help="de senaste importerna med nummer (för angra)")
    log.add_argument("--antal", type=int, default=20, help="hur många (standard 20)")
    sample = commands.add_parser("load-sample", help="läs in exempeldata (Exempelkommun) i en tom databas")
    for changing in (importing, undo, sample):
        changing.add_argument("--utan-prognos", action="store_true", dest="utan_prognos",
                              help="beräkna inte den senaste månadens prognoser och träffsäkerheten efteråt "
                                   "(servern gör det när en sida öppnas)")
    migration = commands.add_parser("migrate", help="uppdatera databasschemat")
    migration.add_argument("--agare", metavar="ROLL",
                           help="PostgreSQL: kör migreringarna som denna roll, som då äger tabellerna")
    migration.add_argument("--app-roll", metavar="ROLL", dest="app_roll",
                           help="PostgreSQL: ge panelens databasroll exakt de behörigheter den behöver "
                                "(bara läsa och lägga till i granskningsloggen och prognosversionerna)")
    review = commands.add_parser("granska", help="kontrollera granskningsloggens kedja och prognosversionernas "
                                                 "kontrollsummor; slutkod 1 om något har ändrats")
    review.add_argument("--kontrollsumma", action="append", default=[], metavar="SUMMA",
                        help="en kontrollsumma ur tidigare mötespapper (minst 8 tecken) som kedjan måste innehålla")
    municipality = commands.add_parser("kommun", help="ange kommunens namn som visas i panelen")
    municipality.add_argument("namn")
    clearing = commands.add_parser("clear", help="ta bort alla data (prognosversioner, scenarier, importlogg och "
                                                 "granskningslogg behålls)")
    clearing.add_argument("--ja", action="store_true", help="bekräfta att alla data ska tas bort")
    comparison = commands.add_parser("kolada", help="jämförelsen med liknande kommuner (Kolada)")
    what = comparison.add_subparsers(dest="kolada_command", required=True, metavar="ÅTGÄRD")
    fetching = what.add_parser("hamta", help="hämta nyckeltalen för kommunen, gruppen och riket från Koladas API")
    fetching.add_argument("--ar", type=int, metavar="ÅR",
                          help="det senaste året att hämta (annars förra året); sju år bakåt hämtas")
    choosing = what.add_parser("installningar", help="ange kommunens id och jämförelsegruppen")
    choosing.add_argument("--kommun", required=True, help="kommunens kod i Kolada, fyra siffror (0188)")
    group = choosing.add_mutually_exclusive_group(required=True)
    group.add_argument("--grupp", help="Koladas kommungrupp (G36535); kommunerna hämtas från Kolada")
    group.add_argument("--kommuner", help="egna jämförelsekommuner, kommaseparerade koder")
    choosing.add_argument("--namn", default="", help="gruppens namn i panelen")
    choosing.add_argument("--verksamheter", default=None,
                          help="verksamheterna som hör till IFO, kommaseparerade (annars alla)")
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


# Commands that only read: they never migrate, so they change nothing in a database they were pointed at by mistake.
READING = ("summary", "importlogg", "granska")


def main(argv: list[str] | None = None) -> int:
    # The user is told in Swedish what failed; a traceback on the terminal tells them nothing more.
    quiet = logging.getLogger("namndpanelen")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    arguments = _parser().parse_args(argv)
    try:
        engine = make_engine(arguments.databas or get_settings().database_url)
        if arguments.command == "migrate":
            statements = migrate(engine, owner=arguments.agare, app_role=arguments.app_roll)
        elif arguments.command in READING:
            require_current(engine)
        else:
            migrate(engine)
    except (PrivilegeError, SchemaNotCurrent) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # no traceback for the user: say what failed and what to do
        print(f"Fel: {database_problem(exc)}", file=sys.stderr)
        return 2
    try:
        return _run(arguments, engine, statements if arguments.command == "migrate" else [])
    except AccessDenied as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1


def _run(arguments: argparse.Namespace, engine, statements: list[str]) -> int:
    actor = operator()
    if arguments.command == "import":
        # The file is read from disk in chunks, never whole into memory.
        content = arguments.path
        try:
            with content.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            why = UNREADABLE.get(exc.errno, exc.strerror)
            print(f"Fel: {arguments.path}: filen kunde inte läsas ({why})", file=sys.stderr)
            return 2
        if arguments.forhandsgranska:
            plan = plan_import(engine, arguments.kind, content, arguments.path.name, arguments.blad,
                               progress=_progress(arguments.path))
            print(plan_text(plan))
            return 0 if plan.ok else 1
        result = import_file(engine, arguments.kind, content, arguments.path.name, actor=actor,
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
            if len(result.problems) > MANY_PROBLEMS:
                print(where_problems_lie(result.problems), file=sys.stderr)
            for problem in result.problems[:limit]:
                print(problem, file=sys.stderr)
            if len(result.problems) > limit:
                print(f"… och {len(result.problems) - limit} fel till.", file=sys.stderr)
            print(result.message, file=sys.stderr)
            return 1
        print(result.message)
        if not result.saved_nothing and (lagging := lagging_sources(summary(engine), "med python -m data_access import")):
            print(lagging)
        return 0 if result.saved_nothing else _forecasts(engine, arguments)
    if arguments.command == "angra":
        undone = revert_import(engine, arguments.import_id, actor=actor, reason=arguments.varfor)
        print(undone.message, file=sys.stdout if undone.ok else sys.stderr)
        if undone.ok and (leading := leading_sources(summary(engine))):
            print(leading)
        return _forecasts(engine, arguments) if undone.ok else 1
    if arguments.command == "summary":
        print(summary_json(engine))
        return 0
    if arguments.command == "importlogg":
        print(history_text(import_history(engine, limit=max(1, arguments.antal))))
        return 0
    if arguments.command == "load-sample":
        try:
            results = load_sample(engine, actor=actor)
        except SampleLoadError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        for result in results:
            print(result.message)
        return _forecasts(engine, arguments)
    if arguments.command == "kommun":
        try:
            name = set_municipality(engine, actor, arguments.namn)
        except DatasetError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        print(f"Kommun: {name}")
        return 0
    if arguments.command == "clear":
        if not arguments.ja:
            print("Lägg till --ja för att bekräfta att alla data ska tas bort.", file=sys.stderr)
            return 1
        clear_data(engine, actor)
        print("Alla data borttagna. Prognosversioner, scenarier, importlogg och granskningslogg finns kvar.")
        return 0
    if arguments.command == "roll":
        try:
            identity = set_role(engine, actor, arguments.identitet, arguments.roll)
        except RoleError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        print(f"{identity}: {arguments.roll}")
        return 0
    if arguments.command == "granska":
        return _verify(engine, arguments.kontrollsumma)
    if arguments.command == "kolada":
        return _kolada(arguments, engine, actor)
    for statement in statements:  # migrate
        print(f"{statement};")
    reached, _ = schema_version(engine)  # which migration the database stands at, for the upgrade's record
    print(f"Databasen är migrerad till version {reached}, den senaste.")
    return 0


def _forecasts(engine, arguments: argparse.Namespace) -> int:
    """After a change: the latest forecasts computed and stored, then the track record of the year, each said in
    one line. The change itself stands whatever happens here (exit code 0); a failure is said, and the server
    computes them later."""
    if arguments.utan_prognos:
        return 0
    for compute, what in ((forecast_store.compute_latest, _forecasts_done), (forecast_store.compute_record,
                                                                               _record_done)):
        start = time.perf_counter()
        try:
            latest = compute(engine)
        except Exception as exc:  # noqa: BLE001 - the import is saved; the server tries again
            logging.getLogger("namndpanelen").debug("Prognoserna kunde inte beräknas", exc_info=True)
            print(f"Varning: prognoserna kunde inte beräknas ({type(exc).__name__}). Servern beräknar dem när en "
                  "sida öppnas.", file=sys.stderr)
            return 0
        if latest is not None:
            seconds = format_number(time.perf_counter() - start, 1)
            done = "är beräknade och sparade" if latest.fitted else \
                "är oförändrade: det de räknas på är detsamma som förut"
            print(f"{what(latest)} {done} ({seconds} s).")
    return 0


def _forecasts_done(latest: forecast_store.Latest) -> str:
    return f"{' och '.join(forecast_store.KINDS.values()).capitalize()} för {long_month_label(*latest.period)}"


def _record_done(latest: forecast_store.Latest) -> str:
    return f"Delår 2-prognoserna för åren före {latest.period[0]} (träffsäkerheten)"


def _kolada(arguments: argparse.Namespace, engine, actor: Actor) -> int:
    """``kolada hamta`` and ``kolada installningar``: Kolada reached only here, on request."""
    import datetime as dt

    from data_access import kolada
    from domain.comparison import FETCHED

    settings = get_settings()
    client = kolada.Client(settings.kolada_url, timeout=settings.kolada_timeout)
    try:
        if arguments.kolada_command == "installningar":
            # What is not given is kept: the name, and the verksamheter chosen for the estimate.
            current = kolada.settings(engine)
            members, name = (arguments.kommuner or "").split(","), arguments.namn or current.group_name
            if arguments.grupp:
                group = client.group(kolada.checked_group_id(arguments.grupp))
                members, name = [m for m, _ in group.members], arguments.namn or group.title
            chosen = current.scope if arguments.verksamheter is None else arguments.verksamheter.split(",")
            saved = kolada.save_settings(engine, actor, municipality=arguments.kommun, group=members, group_name=name,
                                         group_id=kolada.checked_group_id(arguments.grupp) if arguments.grupp else "",
                                         scope=chosen)
            print(f"Kommunen {saved.municipality} jämförs med {saved.group_name} ({', '.join(saved.group)}).")
            return 0
        last = arguments.ar or dt.date.today().year - 1
        result = kolada.fetch(engine, actor, client, FETCHED, range(last - 6, last + 1))
    except (kolada.KoladaError, kolada.SettingsError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    if not result.ok:
        for problem in result.problems[:get_settings().max_problems_shown]:
            print(problem, file=sys.stderr)
        print(result.message, file=sys.stderr)
        return 1
    print(result.message)
    return 0


def _verify(engine, anchors: list[str]) -> int:
    """Print the state of the audit chain and of every saved version; 1 if anything was changed.

    ``anchors`` are checksums printed in earlier papers: each must still be the hash of an entry.
    """
    from domain.integrity import WHAT_TO_DO, broken_places, short, verification_summary, version_with_checksum

    chain = audit.verify(engine)
    checks = verify_versions(engine)
    imports = audit.verify_import_log(engine)
    _, _, problems = verification_summary(chain, checks, imports)
    missing = []
    for anchor in anchors:
        found = audit.entry_with_hash(engine, anchor)
        # The papers print a version's checksum beside the trail's: either may be given (2026-12-07 audit walk: a
        # version's own, which holds, was called a rewritten log).
        version = version_with_checksum(checks, anchor)
        if found is None and version is not None:
            held = "stämmer med versionens rader" if version.problem is None else "stämmer INTE (se nedan)"
            print(f'Kontrollsumma {anchor}: prognosversionen "{version.name}" (id {version.id}), {held}.')
        elif found is None:
            missing.append(anchor)
            print(f"Kontrollsumma {anchor}: finns inte i granskningsloggen. Kontrollera att den är rätt avskriven "
                  "och kommer från ett papper ur just den här databasen; stämmer båda har loggen skrivits om efter "
                  "att summan antecknades.")
        else:
            print(f"Kontrollsumma {anchor}: post {found}, finns kvar i kedjan.")
    if chain.ok:
        print(f"Granskningsloggen: {chain.entries} poster, kedjan är hel."
              + (f" Senaste kontrollsumma: {chain.head}" if chain.head else ""))
    else:
        print(f"Granskningsloggen: {chain.entries} poster, kedjan är {broken_places(len(chain.problems))}:")
        for problem in chain.problems:
            print(f"  {problem}")
    print(f"Prognosversioner: {len(checks)}")
    for check in checks:
        state = ("stämmer" if check.problem is None else "SAKNAS I GRANSKNINGSLOGGEN" if not check.logged
                 else "ÄNDRAD" if check.stored else "")
        summed = f"kontrollsumma {short(check.stored)} ({check.stored})" if check.stored else "SAKNAR KONTROLLSUMMA"
        print(f"  {check.name} (id {check.id}): {summed}" + (f" {state}" if state else ""))
    for problem in (c.problem for c in checks if c.problem):
        print(f"  {problem}")
    print("Importloggen: stämmer med granskningsloggen." if not imports else
          f"Importloggen: {len(imports)} {'rad' if len(imports) == 1 else 'rader'} stämmer inte med granskningsloggen:")
    for problem in imports:
        print(f"  {problem}")
    if problems:
        print(f"Granskningen hittade ändringar i efterhand. {WHAT_TO_DO}", file=sys.stderr)
        return 1
    if missing:  # a mistyped checksum is not a rewritten log: the chain itself is whole (2026-12-06 walk)
        print(f"Kedjan och versionerna är hela, men {'kontrollsumman' if len(missing) == 1 else 'kontrollsummorna'} "
              f"{', '.join(missing)} finns inte i granskningsloggen. Kontrollera först avskriften; stämmer den, har "
              "loggen skrivits om från början efter att summan antecknades.", file=sys.stderr)
        return 1
    print("Allt stämmer.")
    return 0


def command() -> int:
    """The command as a user runs it, in a process of its own: argparse speaks Swedish, and output piped into a
    reader that stops (``| head``) ends the command quietly instead of with a BrokenPipeError. Both are set for
    the whole process, so never in a process that only calls ``main`` (the tests' own)."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argparse._ = _swedish
    return main()


if __name__ == "__main__":
    sys.exit(command())
