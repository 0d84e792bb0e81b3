"""Many simultaneous sessions through Streamlit's own websocket protocol, against a trivial app.

The nämnd opens the meeting link at once: N new sessions (N = 1, 10, 30 by default) connect at the
same moment to ``/_stcore/stream`` and each asks for one page, as a browser does (a ``BackMsg``
with ``rerun_script``); a session's time runs from its connection until its ``script_finished``.
The same is done against a trivial one-slider Plotly app served by a second server in the same run,
and the two are interleaved (trivial, page, trivial, page …) for every N and round, so that both meet
the same machine load. Every session must receive the page's real content (its title) and no
exception or error element; a session that does not counts as failed and is reported.

Both servers are started here: the app with ``streamlit run app.py`` on a fresh SQLite file with the
sample loaded (or on PostgreSQL with ``--database-url``, emptied and loaded with the sample), with
the period's forecasts computed before the first round (a warm server: the state every later
visitor meets), and the trivial app with the same Streamlit configuration.

Printed per N and page: p50, p95 and max seconds, the trivial app's p95 at the same N, the ratio
p95 / trivial p95 (and p50 / trivial p50 for N = 1), and the range of that ratio over the rounds;
the processor time each server spent per session (user and system, its median over the rounds, and the
ratio to the trivial app's, from 10 sessions on): steadier than a p95, which is the last of N sessions to
finish; and the memory (PSS) of the app server with its worker processes after the last round of each N.

Usage: python benchmarks/load.py [--sessions 1 10 30] [--rounds 3] [--pages Budget_mot_utfall Prognos ...]
       [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _apptest import emptied  # noqa: E402

# name → the title every session of the page must receive.
PAGES = {
    "Budget_mot_utfall": "Budget mot utfall",
    "Prognos": "Prognos",
    "Placeringar": "Placeringar: dygn × à-pris",
    "Sjukfranvaro": "Sjukfrånvaro",
    "Scenarier": "Scenarier",
    "Mal_och_indikatorer": "Mål och indikatorer",
    "Jamforelse": "Jämförelse med liknande kommuner",
    "Namndlage": "Helårsprognos mot budget",
}
# The meeting deck is the landing page with the kallelse's address; the other names are pages.
ADDRESSES = {"Namndlage": ("", "namndlage=1&skarm=1")}
TRIVIAL_TITLE = "Referensapp"
# The processor time is counted in ticks of 10 ms: per session it is printed from this many sessions on.
CPU_SESSIONS = 10
TRIVIAL_APP = f'''
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("{TRIVIAL_TITLE}")
value = st.slider("Värde", 0, 100, 50, key="trivial_slider")
months = np.arange(1, 13)
st.plotly_chart(go.Figure(go.Scatter(x=months, y=months * value)), key="trivial_chart")
'''


@dataclass
class Visit:
    seconds: float
    problem: str | None


def start_server(script: str, cwd: Path, env: dict[str, str], port: int) -> subprocess.Popen:
    from tests.browser.conftest import wait_until_serving

    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(process, f"http://127.0.0.1:{port}/_stcore/health", script)
    return process


def _texts(element) -> list[str]:
    kind = element.WhichOneof("type")
    if kind == "heading":
        return [element.heading.body]
    if kind == "markdown":
        return [element.markdown.body]
    return []


async def visit(port: int, page: str, title: str, timeout: float) -> Visit:
    """One new session asking for one page; seconds from connection to the end of its script run."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    texts: list[str] = []
    problem = None
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=timeout) as socket:
            message = BackMsg()
            page_name, query = ADDRESSES.get(page, (page, ""))
            message.rerun_script.query_string = query
            message.rerun_script.page_name = page_name
            await socket.send(message.SerializeToString())
            while True:
                data = await asyncio.wait_for(socket.recv(), timeout)
                forward = ForwardMsg()
                forward.ParseFromString(data)
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element
                    if element.WhichOneof("type") == "exception":
                        problem = f"undantag: {element.exception.message[:200]}"
                    elif element.WhichOneof("type") == "alert" and element.alert.format == 1:  # ERROR
                        problem = f"felruta: {element.alert.body[:200]}"
                    texts.extend(_texts(element))
                elif kind == "page_not_found":
                    problem = f"sidan {page} finns inte"
                elif kind == "script_finished":
                    if forward.script_finished in (0, 3):  # FINISHED_SUCCESSFULLY, FINISHED_EARLY_FOR_RERUN
                        break
                    problem = problem or f"skriptet avslutades med status {forward.script_finished}"
                    break
    except (OSError, asyncio.TimeoutError, Exception) as error:  # noqa: BLE001 - every failure is reported
        problem = f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - start
    if problem is None and not any(title in text for text in texts):
        problem = f"sidans rubrik ({title}) kom aldrig"
    return Visit(seconds, problem)


async def _crowd(port: int, page: str, title: str, sessions: int, timeout: float) -> list[Visit]:
    return list(await asyncio.gather(*(visit(port, page, title, timeout) for _ in range(sessions))))


def crowd(port: int, page: str, title: str, sessions: int, timeout: float) -> list[Visit]:
    """``sessions`` simultaneous visits, on an event loop of their own in a thread of their own (the
    caller may already run a loop, as a test process with a browser driver does)."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, _crowd(port, page, title, sessions, timeout)).result()


def memory_mb(process: subprocess.Popen) -> float:
    """The server and its worker processes together: proportional set size (PSS), so that the pages
    the forked workers share with the server are counted once, not once per process (as RSS would)."""
    import psutil

    parent = psutil.Process(process.pid)
    members = [parent, *parent.children(recursive=True)]
    return sum(member.memory_full_info().pss for member in members if member.is_running()) / 1e6


def cpu_seconds(process: subprocess.Popen) -> float:
    """The processor time (user and system) the server process has used so far."""
    import psutil

    times = psutil.Process(process.pid).cpu_times()
    return times.user + times.system


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def prepare_database(folder: Path, database_url: str | None) -> str:
    from data_access.engine import migrate
    from data_access.sample import load_sample
    from tests.conftest import store_latest_forecasts

    url = database_url or f"sqlite:///{folder / 'load.sqlite3'}"
    engine = emptied(url)
    migrate(engine)
    load_sample(engine)
    store_latest_forecasts(engine)
    engine.dispose()
    return url


def measure(sessions_list: list[int], rounds: int, pages: list[str], database_url: str | None = None,
            timeout: float = 180.0, progress=print):
    """Start both servers, run the interleaved rounds, stop the servers.

    Returns (visits per (N, page or "trivial"), one list per round; server memory in MB per N; the
    server's processor seconds per session per (N, page or "trivial"), one per round).
    """
    from tests.browser.conftest import free_port

    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_load_"))
    url = prepare_database(folder, database_url)
    trivial_folder = folder / "trivial"
    (trivial_folder / ".streamlit").mkdir(parents=True)
    (trivial_folder / "trivial.py").write_text(TRIVIAL_APP, encoding="utf-8")
    shutil.copy(ROOT / ".streamlit" / "config.toml", trivial_folder / ".streamlit" / "config.toml")
    env = {**os.environ, "DATABASE_URL": url, "NAMNDPANELEN_FORECAST_WORKERS": "", "NAMNDPANELEN_PRECOMPUTE": "1"}
    app_port, trivial_port = free_port(), free_port()
    app = start_server("app.py", ROOT, env, app_port)
    trivial = start_server("trivial.py", trivial_folder, env, trivial_port)
    results: dict[tuple[int, str], list[list[Visit]]] = {}
    memory: dict[int, float] = {}
    cpu: dict[tuple[int, str], list[float]] = {}
    try:
        # One visit per page first: the server's caches and the forecast processes are warm.
        for page, title in PAGES.items():
            crowd(app_port, page, title, 1, timeout)
        crowd(trivial_port, "", TRIVIAL_TITLE, 1, timeout)
        for round_number in range(rounds):
            for sessions in sessions_list:
                for page in pages:
                    for name, port, path, title, server in (("trivial", trivial_port, "", TRIVIAL_TITLE, trivial),
                                                            (page, app_port, page, PAGES[page], app)):
                        before = cpu_seconds(server)
                        visits = crowd(port, path, title, sessions, timeout)
                        cpu.setdefault((sessions, name), []).append((cpu_seconds(server) - before) / sessions)
                        results.setdefault((sessions, name), []).append(visits)
                        failed = [v.problem for v in visits if v.problem]
                        progress(f"omgång {round_number + 1}, {sessions:2d} sessioner, {name:18s}: "
                                 f"p50 {percentile([v.seconds for v in visits], 0.5):6.2f} s, "
                                 f"p95 {percentile([v.seconds for v in visits], 0.95):6.2f} s"
                                 + (f", {len(failed)} misslyckade: {failed[0]}" if failed else ""))
                memory[sessions] = memory_mb(app)
    finally:
        for process in (app, trivial):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return results, memory, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=180.0)
    arguments = parser.parse_args()
    results, memory, cpu = measure(arguments.sessions, arguments.rounds, arguments.pages, arguments.database_url,
                              arguments.timeout, progress=lambda line: print(line, flush=True))

    database = "PostgreSQL" if arguments.database_url else "SQLite"
    print(f"\n{database}, {arguments.rounds} omgångar, varannan gång referensappen och sidan:")
    for sessions in arguments.sessions:
        trivial_rounds = results[(sessions, "trivial")]
        for page in arguments.pages:
            page_rounds = results[(sessions, page)]
            # The trivial app's rounds for this page are the ones run just before it.
            paired = trivial_rounds[arguments.pages.index(page)::len(arguments.pages)]
            all_page = [v.seconds for visits in page_rounds for v in visits]
            all_trivial = [v.seconds for visits in paired for v in visits]
            share = 0.5 if sessions == 1 else 0.95
            ratios = [percentile([v.seconds for v in p], share) / percentile([v.seconds for v in t], share)
                      for p, t in zip(page_rounds, paired)]
            failed = sum(1 for visits in page_rounds for v in visits if v.problem)
            paired_cpu = cpu[(sessions, "trivial")][arguments.pages.index(page)::len(arguments.pages)]
            page_cpu, trivial_cpu = statistics.median(cpu[(sessions, page)]), statistics.median(paired_cpu)
            print(f"  {sessions:2d} sessioner, {PAGES[page]:28s} p50 {statistics.median(all_page):6.2f} s, "
                  f"p95 {percentile(all_page, 0.95):6.2f} s, max {max(all_page):6.2f} s; referensappen "
                  f"p50 {statistics.median(all_trivial):5.2f} s, p95 {percentile(all_trivial, 0.95):5.2f} s; "
                  f"kvot {'p50' if sessions == 1 else 'p95'} {statistics.median(ratios):4.2f} "
                  f"(omgångar {min(ratios):.2f}–{max(ratios):.2f})"
                  + (f"; processortid per session {1000 * page_cpu:5.1f} ms (referensappen {1000 * trivial_cpu:4.1f} "
                     f"ms, kvot {page_cpu / trivial_cpu:4.2f})" if sessions >= CPU_SESSIONS and trivial_cpu > 0 else "")
                  + (f"; {failed} misslyckade sessioner" if failed else ""))
        print(f"  {sessions:2d} sessioner: appens server med arbetsprocesser {memory[sessions]:.0f} MB")


if __name__ == "__main__":
    main()
