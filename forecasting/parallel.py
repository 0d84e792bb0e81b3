"""Many year-end forecasts at once, one series per task, on all cores.

The statsmodels fits hold the interpreter lock, so threads do not help; the work goes to a small
pool of worker processes, forked once per server process from a parent that has already imported
statsmodels' models (they are imported lazily, and the import costs more than a fit). ``warm_up``
does both in a background thread when the app starts. Fork rather than spawn: a spawned worker
would import the running Streamlit page as its main module. Each job carries its own seed, so the
result is the same whichever process runs it; the serial path is used when there is one core,
few jobs, or the pool cannot be used.

A forked worker would also hold a copy of every socket the server had open, the browsers'
keep-alive connections among them; the server's close of such a connection would then not end
it, and the browser would go on sending requests that nobody reads. Each worker lets go of its
copies before it takes any work.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import stat
import threading
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pandas as pd

from forecasting.methods import preload
from forecasting.yearend import YearEndForecast, forecast_year_end

LOG = logging.getLogger("namndpanelen")
MIN_JOBS = 4  # below this the hand-over costs more than it saves

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_broken = False
_stopping = False  # the server is stopping: no new pool


def workers() -> int:
    """Worker processes: NAMNDPANELEN_FORECAST_WORKERS, else one per core; 0 or 1 means no pool."""
    from settings import get_settings

    configured = get_settings().forecast_workers
    return (os.cpu_count() or 1) if configured is None else configured


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool
    wanted = workers()
    with _lock:
        _warm()
        if wanted < 2 or _broken or _stopping:
            return None
        if _pool is None:
            _pool = start_pool(wanted)
        return _pool


def start_pool(processes: int) -> ProcessPoolExecutor:
    """Fork ``processes`` workers that hold none of this process's sockets."""
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker)
    pool.submit(os.getpid).result()  # a fork pool starts all its workers at the first task
    return pool


_blas_limit = None


def _start_worker() -> None:
    """Set up a forked worker: default signal handling, no inherited sockets, and one BLAS thread.

    The workers already run one per core; OpenBLAS's own threads on top of them oversubscribe the
    cores (a board forecast took three to seven times as long). The thread count is set in the
    loaded library itself, since the environment variable is read only when numpy is first
    imported, long before the fork.
    """
    global _blas_limit
    # The server's own signal handlers came along with the fork: a worker told to stop (SIGTERM) stops
    # at once, and Ctrl+C in the server's terminal is the server's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    release_inherited_sockets()
    from threadpoolctl import threadpool_limits

    _blas_limit = threadpool_limits(limits=1)


def release_inherited_sockets() -> None:
    """In a forked worker: replace every inherited socket by /dev/null.

    Replaced rather than closed, so that a later close of the same number by an object the worker
    copied from the server closes nothing of the worker's own. Standard input and output are
    left alone (they may be a socket to the system log). The worker's queues are pipes.
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for name in os.listdir("/dev/fd"):
            fd = int(name)
            if fd <= 2 or fd == devnull:
                continue
            try:
                is_socket = stat.S_ISSOCK(os.fstat(fd).st_mode)
            except OSError:  # the listing's own descriptor, already closed
                continue
            if is_socket:
                os.dup2(devnull, fd)
    finally:
        os.close(devnull)


_warmed = False


def _warm() -> None:
    """Import the models and run one small fit, so the lazy set-up is done before the workers fork."""
    global _warmed
    if not _warmed:
        preload()
        months = pd.period_range("2021-01", periods=32, freq="M")
        series = pd.Series(100.0 + 10 * np.sin(np.arange(32) * np.pi / 6), index=months)
        forecast_year_end(series, months[-1], n_paths=10)
        _warmed = True


def warm_up() -> threading.Thread:
    """Import the models and start the pool in the background, so the first forecast waits for neither."""
    thread = threading.Thread(target=_get_pool, name="prognosprocesser", daemon=True)
    thread.start()
    return thread


def ready() -> None:
    """Wait until the models are imported and the worker processes run (started if need be)."""
    _get_pool()


def shutdown() -> None:
    """Stop the worker processes once they have finished what they were given."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown()
            _pool = None


def _stop_at_exit() -> None:
    """When the server stops (SIGTERM, Ctrl+C), end the worker processes at once.

    concurrent.futures joins its pools as the interpreter shuts its threads down, and a pool is
    joined only when the work it holds is done: a server stopped during a board forecast would take
    as long as the forecast to stop. Here, just before that join (threading's exit functions run
    last registered first; ``atexit`` would run after it), queued fits are cancelled and the
    workers ended; a fit that was waiting on them is abandoned with the (daemon) thread that asked.
    """
    global _pool, _stopping
    _stopping = True
    pool, _pool = _pool, None
    if pool is not None:
        _end(pool)


getattr(threading, "_register_atexit", None) and threading._register_atexit(_stop_at_exit)


def _one(job: dict) -> YearEndForecast:
    return forecast_year_end(**job)


class WorkerCrashed(RuntimeError):
    """A worker process died under the same forecasts twice: they are not computed in the server."""


def forecast_many(jobs: list[dict], function=None) -> list[YearEndForecast]:
    """``forecast_year_end(**job)`` for every job, in order (or ``function(job)``, a module-level function that a
    worker process can find by name, such as ``forecasting.yearend.backtest_one``).

    A worker process that dies (killed, out of memory, a crash in a native library) breaks its pool:
    the broken pool is let go and the jobs are given once more to a new one. A second death raises
    ``WorkerCrashed``; the jobs are never run in the server's own process, which a job that kills
    its process would take down. A pool that cannot be started at all leaves the serial path.
    """
    global _broken
    function = function or _one
    _not_stopping()
    for attempt in (1, 2):
        pool = _get_pool() if len(jobs) >= MIN_JOBS else None
        if pool is None:
            break
        # The longest series first, so that no process is left with a long one at the end.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i]["series"]))
        try:
            results = dict(zip(order, pool.map(function, [jobs[i] for i in order]), strict=True))
            return [results[i] for i in range(len(jobs))]
        except BrokenProcessPool as error:
            if _stopping:
                raise
            _discard(pool)
            if attempt == 2:
                LOG.error("En prognosprocess avbröts igen; prognoserna beräknas inte")
                raise WorkerCrashed("en prognosprocess avbröts två gånger under samma beräkning") from error
            LOG.error("En prognosprocess avbröts; beräkningen görs om i nya processer")
        except (CancelledError, OSError):
            if _stopping:
                raise
            LOG.exception("Prognosernas processpool kunde inte användas; beräknar i en process")
            with _lock:
                _broken = True
            _discard(pool)
            break
    _not_stopping()
    return [function(job) for job in jobs]


def _not_stopping() -> None:
    """Refuse new work once the server stops: a fit would otherwise run in the server's own thread,
    which the interpreter waits for before the process can end."""
    if _stopping:
        raise CancelledError("servern stängs; prognosen beräknas inte")


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    _end(pool)


def _end(pool: ProcessPoolExecutor) -> None:
    """Cancel the pool's queued work and end its processes now."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # shutdown lets go of them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()
