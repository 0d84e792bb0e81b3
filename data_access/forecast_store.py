"""Forecast results kept in the database, one per data version, cut-off and kind.

A result is computed by whichever server process needs it first (or by the background start-up
computation) and then read by every other process and replica, so a model is fitted once per data
version, not once per process. Results of earlier data versions are removed when a newer one is
stored; the stored bytes are plain arrays and JSON (``forecasting.serial``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access import schema as s

LOG = logging.getLogger("namndpanelen")


def _one(data_version: int, year: int, cutoff_month: int, kind: str, code_version: str):
    table = s.forecast_results
    return and_(table.c.data_version == data_version, table.c.year == year, table.c.cutoff_month == cutoff_month,
                table.c.kind == kind, table.c.code_version == code_version)


def fetch(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str) -> bytes | None:
    query = select(s.forecast_results.c.payload).where(_one(data_version, year, cutoff_month, kind, code_version))
    with engine.connect() as connection:
        payload = connection.execute(query).scalar()
    return bytes(payload) if payload is not None else None


def exists(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str) -> bool:
    query = select(s.forecast_results.c.year).where(_one(data_version, year, cutoff_month, kind, code_version))
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


def store(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str,
          payload: bytes, seconds: float) -> None:
    """Keep ``payload``; another process that stored the same result first wins, which is the same result."""
    table = s.forecast_results
    try:
        with engine.begin() as connection:
            connection.execute(delete(table).where(table.c.data_version < data_version))
            connection.execute(insert(table).values(
                data_version=data_version, year=year, cutoff_month=cutoff_month, kind=kind,
                code_version=code_version, computed_at=datetime.now(timezone.utc), seconds=float(seconds),
                payload=payload))
    except IntegrityError:
        pass


def cached(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, *,
           compute: Callable[[], object], dumps: Callable[[object], bytes], loads: Callable[[bytes], object],
           code_version: str):
    """The stored result when there is one, otherwise ``compute()``, stored for the next process."""
    payload = fetch(engine, data_version, year, cutoff_month, kind, code_version)
    if payload is not None:
        try:
            return loads(payload)
        except ValueError:
            LOG.warning("Sparad prognos (%s %s-%02d) kunde inte läsas och beräknas om", kind, year, cutoff_month)
    start = time.perf_counter()
    result = compute()
    store(engine, data_version, year, cutoff_month, kind, code_version, dumps(result), time.perf_counter() - start)
    return result
