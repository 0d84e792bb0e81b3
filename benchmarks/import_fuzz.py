"""The import fuzz run at scale: thousands of hostile and mutated files of every kind (issue 16).

The same generator as the bounded test (tests/fuzz_files.py), seeded 0 … N−1. For each file:
plan it, import it (every warning accepted, so only errors refuse), and compare a checksum of every
data table before and after a refusal. Printed per database: files, accepted, refused, exceptions
that escaped, refused files that changed something, and messages that were not clean (without
the file's name, with control characters or an exception's name).

Usage: python benchmarks/import_fuzz.py [--files 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


FRESH_EVERY = 1000  # a new seeded database every so many files, so a check's cost stays the same


def run(label: str, files: int, fresh) -> Counter:
    """Every file of ``files`` on databases from ``fresh(seed)``; the counts."""
    from data_access.engine import migrate
    from data_access.importer import ACCEPT_ALL, import_file, plan_import
    from domain.access import LOCAL
    from tests.data.test_import_fuzz import FORBIDDEN, seeded
    from tests.data.test_import_safety import data_checksum
    from tests.fuzz_files import hostile_file

    counts: Counter = Counter()
    engine = None
    for seed in range(files):
        if seed % FRESH_EVERY == 0:
            if engine is not None:
                engine.dispose()
                print(f"  {label}: {seed} filer …", file=sys.stderr, flush=True)
            url = fresh(seed)
            engine = seeded(url)
            migrate(engine)
        kind, name, content = hostile_file(random.Random(seed))
        counts["files"] += 1
        try:
            before = data_checksum(engine)
            plan_import(engine, kind, content, name)
            result = import_file(engine, kind, content, name, actor=LOCAL, accept=ACCEPT_ALL)
        except Exception:
            counts["exceptions"] += 1
            if counts["exceptions"] <= 5:
                print(f"seed {seed}: {traceback.format_exc(limit=3)}", file=sys.stderr)
            continue
        if result.ok:
            counts["accepted"] += 1
            continue
        counts["refused"] += 1
        if data_checksum(engine) != before:
            counts["changed_on_refusal"] += 1
        for problem in result.problems:
            message = str(problem)
            if (not message.startswith(name) or not all(ch.isprintable() for ch in message)
                    or any(word in message for word in FORBIDDEN)):
                counts["unclean_messages"] += 1
                break
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--postgres", help="PostgreSQL URL (a fresh schema is made and dropped)")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_fuzz_"))
    schemas: list[str] = []

    def fresh_sqlite(seed: int) -> str:
        return f"sqlite:///{folder / f'fuzz_{seed}.sqlite3'}"

    def fresh_postgres(seed: int) -> str:
        from sqlalchemy import text

        from data_access.engine import make_engine

        schema = f"fuzz_{uuid.uuid4().hex[:10]}"
        with make_engine(arguments.postgres).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        separator = "&" if "?" in arguments.postgres else "?"
        return f"{arguments.postgres}{separator}options=-csearch_path%3D{schema}"

    targets = [("SQLite", fresh_sqlite)] + ([("PostgreSQL", fresh_postgres)] if arguments.postgres else [])
    try:
        for label, fresh in targets:
            started = time.perf_counter()
            counts = run(label, arguments.files, fresh)
            seconds = time.perf_counter() - started
            print(f"{label}: {counts['files']} filer, {counts['accepted']} godtagna, {counts['refused']} avvisade, "
                  f"{counts['exceptions']} undantag, {counts['changed_on_refusal']} ändringar vid avvisning, "
                  f"{counts['unclean_messages']} otydliga meddelanden ({seconds:.0f} s)", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if schemas:
            from sqlalchemy import text

            from data_access.engine import make_engine

            with make_engine(arguments.postgres).begin() as connection:
                for schema in schemas:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
