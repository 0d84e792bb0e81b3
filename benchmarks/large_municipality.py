"""A large municipality: the background computation of one data version, from its files.

``python -m sample_data.generate --stor`` writes a municipality with 60 verksamheter, 25
insatskategorier and ten years of months. This script generates it into a temporary folder, imports
every file through the importer into a fresh database (SQLite, or PostgreSQL with
``--database-url``, emptied first), and then times what the server computes in the background
once per data version: every verksamhet's year-end forecast and every category's days and cost,
on the forecast worker processes (one per core, as ``streamlit run`` starts them). Each round
starts from a cold process pool; printed per round and as the range over rounds, with the import's
time beside it. Then, once, the year's track record at each cut-off month, which is computed again only when
an earlier year's figures change.

Usage: python benchmarks/large_municipality.py [--rounds 3] [--database-url postgresql://…]
"""

from __future__ import annotations

import os

# One BLAS thread per worker process, as the server's workers run.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _apptest import emptied  # noqa: E402


def main() -> None:
    from data_access import forecast_store, queries
    from data_access.engine import migrate
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import COMMAND_LINE
    from domain.periods import RECORD_CUTOFFS
    from forecasting import parallel
    from forecasting.board import board_from_ledger, categories_from_volumes
    from sample_data import SAMPLE_FILES
    from sample_data.generate import large, write

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_stor_"))
    municipality = large()
    write(folder, municipality=municipality)
    url = arguments.database_url or f"sqlite:///{folder / 'stor.sqlite3'}"
    engine = emptied(url)
    migrate(engine)
    start = time.perf_counter()
    for kind, name in SAMPLE_FILES:
        result = import_file(engine, kind, folder / name, name, actor=COMMAND_LINE, accept=ACCEPT_ALL)
        assert result.ok, result.message
    imported = time.perf_counter() - start
    year, month = queries.latest_actual_month(engine)
    years = list(range(queries.available_years(engine)[0], year + 1))
    ledger, volumes = queries.monthly_ledger(engine, years), queries.monthly_volumes(engine, years)
    activities, categories = ledger["activity"].nunique(), volumes["category"].nunique()
    print(f"{len(municipality.activities)} verksamheter, {len(municipality.categories)} insatskategorier, "
          f"{years[0]}–{year}: {activities} verksamheter och {categories} kategorier i databasen, "
          f"import {imported:.1f} s ({'PostgreSQL' if arguments.database_url else 'SQLite'})", flush=True)
    seconds = []
    for number in range(arguments.rounds):
        parallel.shutdown()
        start = time.perf_counter()
        parallel.ready()  # the server starts its worker processes when it starts
        started = time.perf_counter() - start
        start = time.perf_counter()
        board = board_from_ledger(ledger, year, month)[0]
        forecasts = categories_from_volumes(volumes, year, month)
        seconds.append(time.perf_counter() - start)
        print(f"omgång {number + 1}: {len(board.lines)} verksamheter och {len(forecasts)} kategorier (dygn och "
              f"kostnad) på {seconds[-1]:.1f} s med {parallel.workers()} prognosprocesser "
              f"(processerna startade på {started:.1f} s)", flush=True)
    print(f"\nBakgrundsberäkningen för en dataversion: {min(seconds):.1f}–{max(seconds):.1f} s över "
          f"{arguments.rounds} omgångar", flush=True)
    # The track record reads the years before: computed when they change (a new year, a corrected earlier year),
    # and taken over unchanged by every month's import. Timed once, warm pool.
    for cutoff in RECORD_CUTOFFS:
        start = time.perf_counter()
        record = forecast_store.computation(engine, forecast_store.RECORD, year, cutoff)()
        rows = sum(len(frame) for frame in record.values())
        print(f"träffsäkerheten efter månad {cutoff}: {len(record)} verksamheter, {rows} prognoser för åren före "
              f"{year} på {time.perf_counter() - start:.1f} s", flush=True)
    parallel.shutdown()
    engine.dispose()


if __name__ == "__main__":
    main()
