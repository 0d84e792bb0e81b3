"""Issue 19: a stopped server stops at once, worker processes and all, even in the middle of a forecast."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import psutil
import pytest
from sqlalchemy import create_engine, delete

from data_access import schema as s
from tests.browser.conftest import start_app, stop_app

STOP_WITHIN = 3.0  # seconds


@pytest.mark.parametrize("moment", ["idle", "fitting"])
def test_issue_19_sigterm_stops_the_server_and_its_workers_within_3_s(sample_db_file, tmp_path, browser, moment):
    path = tmp_path / "stop.sqlite3"
    shutil.copy(sample_db_file, path)
    if moment == "fitting":  # nothing stored: the first page starts the board forecast
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            connection.execute(delete(s.forecast_results))
        engine.dispose()
    process, base = start_app(f"sqlite:///{path}")
    try:
        page = browser.new_page()
        page.goto(f"{base}/Budget_mot_utfall")
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
        server = psutil.Process(process.pid)
        deadline = time.time() + 60
        while len(server.children(recursive=True)) < 2 and time.time() < deadline:
            time.sleep(0.2)
        workers = server.children(recursive=True)
        assert len(workers) >= 2, "the forecast worker processes did not start"
        time.sleep(1.0 if moment == "fitting" else 8.0)
        started = time.perf_counter()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop within 20 s of SIGTERM")
        stopped = time.perf_counter() - started
        left = [w.pid for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
        page.close()
        assert stopped <= STOP_WITHIN, f"the server took {stopped:.1f} s to stop"
        assert left == []
    finally:
        if process.poll() is None:
            stop_app(process)
