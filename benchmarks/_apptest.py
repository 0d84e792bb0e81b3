"""Shared timing helpers for the page benchmarks (AppTest reruns, measured in one process)."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TRIVIAL_APP = '''
import streamlit as st
value = st.slider("Värde", 0, 100, 50, key="trivial_slider")
st.write(value * 2)
'''


def sample_database() -> str:
    """A fresh SQLite file with the sample loaded (created once per benchmark run)."""
    from data_access.engine import make_engine, migrate
    from data_access.sample import load_sample

    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_bench_"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    load_sample(engine)
    engine.dispose()
    os.environ["DATABASE_URL"] = url
    return url


def emptied(url: str):
    """An engine on ``url`` with nothing in it: a PostgreSQL database's public schema is dropped and made
    again (tables, triggers and their functions), a SQLite file is used as it is (a new one is empty)."""
    from data_access.engine import make_engine

    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    return engine


def trivial_app_file() -> str:
    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_trivial_"))
    path = folder / "trivial.py"
    path.write_text(TRIVIAL_APP, encoding="utf-8")
    return str(path)


def time_reruns(at, change, repeats: int) -> list[float]:
    """Seconds per rerun after ``change(at, i)`` sets a widget."""
    times = []
    for i in range(repeats):
        change(at, i)
        times.append(_timed_run(at))
    return times


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return elapsed


def fragment_id(at, key: str) -> str:
    """The id of the fragment registered with ``@st.fragment(key=key)`` (AppTest keeps them between runs)."""
    (found,) = at._fragment_storage._ids_by_target_key[key]
    return found


def time_fragment_reruns(at, change, after, repeats: int, fragment_id: str) -> list[float]:
    """Seconds per interaction with a widget inside one fragment, after ``change(at, i)`` sets it.

    ``after(at, i)`` reads the interaction's result before the page is redrawn.

    In the browser, a widget inside ``st.fragment`` asks the server to rerun only that fragment
    (its callbacks may then narrow the rerun further). ``AppTest.run`` always reruns the whole
    script, so the request it sends is given the fragment's id here, as the browser's would
    have. The time includes everything the server does for the interaction. AppTest keeps only
    the elements of its last run, so the whole page is redrawn, untimed, before the next one.
    """
    from dataclasses import replace
    from unittest import mock

    import streamlit.testing.v1.local_script_runner as runner_module

    original = runner_module.RerunData

    def fragment_rerun(**kwargs):
        return replace(original(**kwargs), fragment_id_queue=[fragment_id])

    times = []
    for i in range(repeats):
        change(at, i)
        with mock.patch.object(runner_module, "RerunData", fragment_rerun):
            times.append(_timed_run(at))
        after(at, i)
        at.run()
    return times


def report(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{name:<42} median {median * 1000:7.1f} ms   p90 {sorted(times)[int(0.9 * (len(times) - 1))] * 1000:7.1f} ms"
          f"   (n={len(times)})")
    return median


def cleanup(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    shutil.rmtree(path.parent, ignore_errors=True)


def loaded_page(path: str, label: str):
    """An AppTest of one page, entered through app.py as a browser would, after its first (timed) run."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    page.switch_page(path)
    start = time.perf_counter()
    page.run()
    print(f"{label + ', first load':<42} {(time.perf_counter() - start) * 1000:7.1f} ms")
    # While the first page is read, the app starts the forecasts' worker processes in the
    # background; a person's next click comes after that, so the reruns are timed after it too.
    from forecasting import parallel

    parallel.ready()
    return page
