"""Import of a large ledger export against pandas.read_csv of the same file, side by side (issue 16).

A transaction-level utfall file (one row per konto and month, many rows per stored key) of N rows
is written once. Each round, interleaved, in fresh processes: pandas.read_csv of the file (with its
numbers parsed, and all as text), and
the import of the file from disk (as ``python -m data_access import utfall FILE --bekrafta`` does) into a new database. Printed per round:
seconds and peak memory (max RSS) of each, and the ratio; then the range over the rounds.

Usage: python benchmarks/import_speed.py [--rows 300000] [--rounds 3] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PANDAS = """
import resource, sys, time
import pandas as pd
started = time.perf_counter()
if sys.argv[2] == "text":
    frame = pd.read_csv(sys.argv[1], sep=";", dtype=str, na_filter=False)
else:
    frame = pd.read_csv(sys.argv[1], sep=";", decimal=",", thousands=" ")
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(frame))
"""

IMPORT = """
import resource, sys, time
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from data_access.engine import make_engine, migrate
from data_access.importer import ACCEPT_ALL, import_file
from domain.access import COMMAND_LINE
engine = make_engine(sys.argv[2])
migrate(engine)
started = time.perf_counter()
result = import_file(engine, "utfall", Path(sys.argv[1]), "stor.csv", actor=COMMAND_LINE,
                     accept=ACCEPT_ALL)
assert result.ok, result.message
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result.rows_read)
"""


def write_ledger(path: Path, rows: int) -> None:
    rng = random.Random(7)
    activities = [f"Verksamhet {n}" for n in range(40)]
    groups = ["personalkostnader", "lokalhyror", "köp av tjänster", "övriga kostnader", "intäkter"]
    with path.open("w", encoding="utf-8") as out:
        out.write("Månad;Verksamhet;Kontogrupp;Konto;Belopp\n")
        for n in range(rows):
            year = 2016 + (n * 10) // rows
            month = 1 + n % 12
            kronor = rng.randrange(-50_000_00, 500_000_00) / 100
            out.write(f"{year}-{month:02d};{activities[n % 40]};{groups[n % 5]};{4000 + n % 900};"
                      f"{kronor:.2f}".replace(".", ",") + "\n")


def run(code: str, *arguments: str) -> tuple[float, float]:
    env = {**os.environ, "NAMNDPANELEN_MAX_UPLOAD_MB": "100000", "NAMNDPANELEN_FORECAST_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=True)
    seconds, peak_kb, _rows = done.stdout.split()
    return float(seconds), float(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="PostgreSQL URL instead of SQLite (a fresh schema per round)")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_import_"))
    try:
        ledger = folder / "stor.csv"
        write_ledger(ledger, arguments.rows)
        size = ledger.stat().st_size / 1024 / 1024
        print(f"{arguments.rows} rader, {size:.0f} MB, {'PostgreSQL' if arguments.postgres else 'SQLite'}")
        ratios, text_ratios, memories = [], [], []
        for round_number in range(arguments.rounds):
            pandas_s, pandas_mb = run(PANDAS, str(ledger), "numbers")
            text_s, _text_mb = run(PANDAS, str(ledger), "text")
            if arguments.postgres:
                from sqlalchemy import text

                sys.path.insert(0, str(ROOT))
                from data_access.engine import make_engine

                schema = f"imp_{uuid.uuid4().hex[:10]}"
                admin = make_engine(arguments.postgres)
                with admin.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                separator = "&" if "?" in arguments.postgres else "?"
                url = f"{arguments.postgres}{separator}options=-csearch_path%3D{schema}"
            else:
                url = f"sqlite:///{folder / f'round{round_number}.sqlite3'}"
            try:
                import_s, import_mb = run(IMPORT, str(ledger), url, str(ROOT))
            finally:
                if arguments.postgres:
                    with admin.begin() as connection:
                        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            ratios.append(import_s / pandas_s)
            text_ratios.append(import_s / text_s)
            memories.append(import_mb)
            print(f"omgång {round_number + 1}: import {import_s:.1f} s, {import_mb:.0f} MB; pandas.read_csv "
                  f"{pandas_s:.2f} s, {pandas_mb:.0f} MB (som text {text_s:.2f} s); kvot {import_s / pandas_s:.1f} "
                  f"(mot text {import_s / text_s:.1f})")
        print(f"kvot {min(ratios):.1f}–{max(ratios):.1f} (mot text {min(text_ratios):.1f}–{max(text_ratios):.1f}), "
              f"toppminne {min(memories):.0f}–{max(memories):.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
