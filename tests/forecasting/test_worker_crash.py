"""Issue 19: a forecast worker process that dies is replaced once; a second death is reported, never hung."""

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import parallel


def jobs(count: int = 4) -> list[dict]:
    months = pd.period_range("2021-01", periods=44, freq="M")
    rng = np.random.default_rng(7)
    return [{"series": pd.Series(1000 + 50 * np.sin(np.arange(44) * np.pi / 6) + rng.normal(0, 5, 44), index=months),
             "cutoff": months[-1], "n_paths": 50, "seed": number} for number in range(count)]


@pytest.fixture
def fresh_pool(monkeypatch):
    """A pool of two workers forked after the test's own patches, ended afterwards."""
    monkeypatch.setenv("NAMNDPANELEN_FORECAST_WORKERS", "2")
    monkeypatch.setattr(parallel, "_pool", None)
    monkeypatch.setattr(parallel, "_broken", False)
    yield
    if parallel._pool is not None:
        parallel._discard(parallel._pool)


def dying_worker(marker: Path | None, server: int):
    """``parallel._one`` in a worker that dies on its first job (each time while ``marker`` exists, or always)."""
    original = parallel._one

    def one(job):
        if os.getpid() != server and (marker is None or marker.exists()):
            if marker is not None:
                marker.unlink(missing_ok=True)
            os._exit(1)
        return original(job)

    one.__module__, one.__qualname__ = original.__module__, original.__qualname__  # pickled by name
    return one


def test_a_worker_that_dies_once_is_replaced_and_the_results_are_whole(fresh_pool, monkeypatch, tmp_path, caplog):
    expected = [parallel._one(job) for job in jobs()]
    marker = tmp_path / "die"
    marker.touch()
    monkeypatch.setattr(parallel, "_one", dying_worker(marker, os.getpid()))
    results = parallel.forecast_many(jobs())
    assert [r.point for r in results] == pytest.approx([r.point for r in expected])
    assert "En prognosprocess avbröts; beräkningen görs om i nya processer" in caplog.text
    assert not parallel._broken and parallel._pool is not None  # the new pool serves the next forecast


def test_a_worker_that_dies_twice_is_reported_and_leaves_no_process(fresh_pool, monkeypatch):
    import psutil

    before = {child.pid for child in psutil.Process().children(recursive=True)}
    monkeypatch.setattr(parallel, "_one", dying_worker(None, os.getpid()))
    with pytest.raises(parallel.WorkerCrashed):
        parallel.forecast_many(jobs())
    assert parallel._pool is None

    def running(child) -> bool:
        try:
            return child.is_running() and child.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    # Watched, never waited for: psutil's wait reaps a child that multiprocessing still owns, whose pool
    # then takes it for alive for ever and spins at the interpreter's exit (the test run did not end).
    left = [child for child in psutil.Process().children(recursive=True) if child.pid not in before and running(child)]
    deadline = time.monotonic() + 3
    while any(running(child) for child in left) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [child for child in left if running(child)]


def test_issue_19_no_forecast_is_fitted_in_the_server_once_it_stops(fresh_pool, monkeypatch):
    """A stopping server gave a forecast asked for after its pool had ended to its own thread, which the
    interpreter then waited for: SIGTERM during fitting took more than 20 s."""
    from concurrent.futures import CancelledError

    called = []
    monkeypatch.setattr(parallel, "_one", lambda job: called.append(job))
    monkeypatch.setattr(parallel, "_stopping", True)
    with pytest.raises(CancelledError):
        parallel.forecast_many(jobs(4))
    with pytest.raises(CancelledError):
        parallel.forecast_many(jobs(1))  # fewer than a pool is used for
    assert called == []
