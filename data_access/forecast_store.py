"""Forecast results kept in the database, one per data version, cut-off and kind.

A result is computed by whichever server process needs it first (or by the background start-up
computation) and then read by every other process and replica, so a model is fitted once per data
version, not once per process: the first to ask holds a claim on it in the database
(``forecast_claims``), and the others wait for the stored result. A period's result of an earlier data version
is removed when a newer one of the same period is stored; the stored bytes are plain arrays and JSON
(``forecasting.serial``).

A result also records a digest of the data it was computed from (``input_digest``): the utfall up to the
cut-off and the year's budget. A new data version whose inputs are the same as the previous one's (an import
of the managers' forecasts, sick leave or indicators, a new name of the kommun, or a later month's utfall:
nothing the models read for that period) takes over the stored result instead of fitting the models again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd
from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data_access import schema as s
from domain.periods import DELAR_2

LOG = logging.getLogger("namndpanelen")
# A claim's holder renews it this often while it computes; one not renewed for CLAIM_LAPSE is
# taken to belong to a process that died, and the next process to ask takes it over.
HEARTBEAT = timedelta(seconds=5)
CLAIM_LAPSE = timedelta(seconds=30)
_MISSING = object()
# The kinds of stored result, by what they are called where a page or the command line speaks of them.
KINDS = {"nämnd": "helårsprognosen per verksamhet", "kategorier": "placeringarnas volymprognos"}
# The track record: every verksamhet's earlier years forecast again at a cut-off, stored per year and cut-off
# month (domain.periods.RECORD_CUTOFFS) in the place of a period's month. Its inputs are the years before, so a
# month's import takes it over unchanged.
RECORD = "träffsäkerhet"
NAMES = {**KINDS, RECORD: "träffsäkerheten tidigare år"}


def _key(table, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str):
    return and_(table.c.data_version == data_version, table.c.year == year, table.c.cutoff_month == cutoff_month,
                table.c.kind == kind, table.c.code_version == code_version)


def _one(data_version: int, year: int, cutoff_month: int, kind: str, code_version: str):
    return _key(s.forecast_results, data_version, year, cutoff_month, kind, code_version)


def fetch(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str) -> bytes | None:
    query = select(s.forecast_results.c.payload).where(_one(data_version, year, cutoff_month, kind, code_version))
    with engine.connect() as connection:
        payload = connection.execute(query).scalar()
    return bytes(payload) if payload is not None else None


def exists(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str) -> bool:
    query = select(s.forecast_results.c.year).where(_one(data_version, year, cutoff_month, kind, code_version))
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


def typical_seconds(engine: Engine, kind: str) -> float | None:
    """How long the last stored computation of ``kind`` took (any data version), or None."""
    table = s.forecast_results
    query = select(table.c.seconds).where(table.c.kind == kind).order_by(table.c.computed_at.desc()).limit(1)
    with engine.connect() as connection:
        seconds = connection.execute(query).scalar()
    return float(seconds) if seconds is not None else None


def reusable(engine: Engine, year: int, cutoff_month: int, kind: str, code_version: str,
             input_digest: str) -> tuple[bytes, float] | None:
    """A stored result of the period computed by the same code from the same inputs, of any data version, with
    how long it took; or None."""
    table = s.forecast_results
    query = select(table.c.payload, table.c.seconds).where(
        table.c.year == year, table.c.cutoff_month == cutoff_month, table.c.kind == kind,
        table.c.code_version == code_version, table.c.input_digest == input_digest
    ).order_by(table.c.data_version.desc()).limit(1)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return (bytes(row.payload), float(row.seconds)) if row is not None else None


def store(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, code_version: str,
          payload: bytes, seconds: float, input_digest: str | None = None) -> None:
    """Keep ``payload`` (in place of a damaged copy of the same result, if any).

    Two processes storing the same result store the same bytes, so it does not matter which wins.
    """
    table = s.forecast_results
    try:
        with engine.begin() as connection:
            # Earlier data versions of the same kind and period go, and so does a damaged copy of this same
            # result. Of that kind only: the placements' forecast, done first after an import, took the last
            # record of how long the nämnd's took, and the page waiting for it could not say how long it usually
            # takes. Of that period only: August's result outlives September's import, to be taken over when
            # its inputs are the same.
            connection.execute(delete(table).where(or_(
                and_(table.c.data_version < data_version, table.c.kind == kind, table.c.year == year,
                     table.c.cutoff_month == cutoff_month),
                _one(data_version, year, cutoff_month, kind, code_version))))
            connection.execute(insert(table).values(
                data_version=data_version, year=year, cutoff_month=cutoff_month, kind=kind,
                code_version=code_version, computed_at=datetime.now(timezone.utc), seconds=float(seconds),
                payload=payload, input_digest=input_digest))
    except IntegrityError:
        pass


class _Claim:
    """The right to compute one result, held in the database by one thread of one process of one replica.

    A claim is a row; a second process's insert of the same key fails, and that process waits for
    the result instead of computing it. The holder renews the row's heartbeat while it computes, so
    a claim whose holder died (its process killed, its replica gone) lapses after ``CLAIM_LAPSE``
    and the next process takes it over.
    """

    def __init__(self, engine: Engine, key: tuple) -> None:
        self.engine, self.key = engine, key
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:200]
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def _where(self):
        return _key(s.forecast_claims, *self.key)

    def take(self) -> bool:
        table = s.forecast_claims
        now = datetime.now(timezone.utc)
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(table).where(self._where(), table.c.heartbeat_at < now - CLAIM_LAPSE))
                connection.execute(insert(table).values(
                    **dict(zip(("data_version", "year", "cutoff_month", "kind", "code_version"), self.key)),
                    owner=self.owner, heartbeat_at=now))
        except IntegrityError:
            return False
        except SQLAlchemyError:  # e.g. SQLite busy with another writer: ask again after a pause
            LOG.warning("Anspråket på prognosberäkningen kunde inte tas; försöker igen", exc_info=True)
            return False
        self._beat = threading.Thread(target=self._renew, name="prognos: anspråk", daemon=True)
        self._beat.start()
        return True

    def _renew(self) -> None:
        table = s.forecast_claims
        while not self._stop.wait(HEARTBEAT.total_seconds()):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(table).where(self._where(), table.c.owner == self.owner)
                                       .values(heartbeat_at=datetime.now(timezone.utc)))
            except SQLAlchemyError:
                LOG.warning("Anspråket på prognosberäkningen kunde inte förnyas", exc_info=True)

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        table = s.forecast_claims
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(table).where(self._where(), table.c.owner == self.owner))
        except SQLAlchemyError:  # it lapses by itself
            LOG.warning("Anspråket på prognosberäkningen kunde inte släppas", exc_info=True)


def _loaded(payload: bytes | None, loads, key):
    if payload is None:
        return _MISSING
    try:
        return loads(payload)
    except ValueError:
        LOG.warning("Sparad prognos (%s %s-%02d) kunde inte läsas och beräknas om", key[3], key[1], key[2])
        return _MISSING


def _stored_result(engine, key, loads):
    return _loaded(fetch(engine, *key), loads, key)


def cached(engine: Engine, data_version: int, year: int, cutoff_month: int, kind: str, *,
           compute: Callable[[], object], dumps: Callable[[object], bytes], loads: Callable[[bytes], object],
           code_version: str, poll_seconds: float = 0.25, digest: Callable[[], str] | None = None):
    """The stored result when there is one; otherwise computed once, by whichever process claims it first.

    Every other process (of this server or another replica) that asks meanwhile waits for the stored
    result rather than computing it too. A damaged stored result is computed again. With ``digest`` (of
    the data ``compute`` reads), a result of an earlier data version computed from the same data is
    stored for this one instead of being computed again.
    """
    key = (data_version, year, cutoff_month, kind, code_version)
    result = _stored_result(engine, key, loads)
    while result is _MISSING:
        claim = _Claim(engine, key)
        if claim.take():
            try:
                # Stored by another process between the look above and the claim: nothing to do.
                result = _stored_result(engine, key, loads)
                if result is _MISSING:
                    result = _reuse_or_compute(engine, key, compute, dumps, loads, digest)
            finally:
                claim.release()
            return result
        time.sleep(poll_seconds)
        result = _stored_result(engine, key, loads)
    return result


def _reuse_or_compute(engine, key, compute, dumps, loads, digest):
    input_digest = digest() if digest is not None else None
    found = reusable(engine, *key[1:], input_digest) if input_digest is not None else None
    if found is not None:
        result = _loaded(found[0], loads, key)
        if result is not _MISSING:
            store(engine, *key, *found, input_digest)
            return result
    start = time.perf_counter()
    result = compute()
    store(engine, *key, dumps(result), time.perf_counter() - start, input_digest)
    return result


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a frame's columns, types and values, row order included."""
    hashed = hashlib.sha256(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
    hashed.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return hashed.hexdigest()


class Computation:
    """What computes the stored result ``kind`` of the period: the board's forecast per verksamhet from the
    ledger, or the placement categories' from the volumes, each on every year up to the period's, or the track
    record (``RECORD``) from the years before. The one
    definition the server's background computation and the command line both use, so that whichever
    stores a result first stores the same one.

    Called, it computes the result; ``digest`` is the digest of the data it reads, read once for both.
    """

    def __init__(self, engine: Engine, kind: str, year: int, month: int) -> None:
        if kind not in NAMES:
            raise ValueError(f"okänd sorts prognos: {kind}")
        self.engine, self.kind, self.year, self.month = engine, kind, year, month
        self._data: pd.DataFrame | None = None
        self._manual: pd.DataFrame | None = None
        self.fitted = False

    def data(self) -> pd.DataFrame:
        """What the models read, and no more: the utfall and volumes up to the cut-off, and the year's budget.
        A later month's utfall is left out of the data and of its digest, so that the period's result stored
        before that month was booked is taken over after (August opened after September's import was fitted
        again, 2026-12-06 walk)."""
        from data_access import queries

        if self._data is None and self.kind == RECORD:
            available = queries.available_years(self.engine)
            years = list(range(available[0], self.year)) if available else []
            manual = queries.manual_forecasts(self.engine)
            manual = manual[(manual["year"] < self.year) & (manual["cutoff_month"] == self.month)]
            self._data = queries.monthly_ledger(self.engine, years).astype({"actual_kr": float, "budget_kr": float})
            self._manual = manual[["year", "cutoff_month", "activity", "amount_kr"]].astype(
                {"amount_kr": float}).reset_index(drop=True)
        if self._data is None:
            available = queries.available_years(self.engine)
            years = list(range(available[0] if available else self.year, self.year + 1))
            read = queries.monthly_ledger if self.kind == "nämnd" else queries.monthly_volumes
            frame = read(self.engine, years)
            if not frame.empty:
                later = (frame["year"] > self.year) | ((frame["year"] == self.year) & (frame["month"] > self.month))
                if self.kind == "nämnd":  # the year's budget is read to December; kronor as floats, whole or not
                    frame = frame.astype({"actual_kr": float, "budget_kr": float})
                    frame = frame.assign(actual_kr=frame["actual_kr"].mask(later))
                    frame = frame[frame["actual_kr"].notna() | frame["budget_kr"].notna()]
                else:
                    frame = frame[~later]
                frame = frame.reset_index(drop=True)
            self._data = frame
        return self._data

    def digest(self) -> str:
        digest = frame_digest(self.data())
        if self.kind == RECORD:  # and the managers' forecasts of those years
            digest = hashlib.sha256((digest + frame_digest(self._manual)).encode()).hexdigest()
        return digest

    def __call__(self) -> object:
        from forecasting.board import board_from_ledger, categories_from_volumes, track_record_from_ledger

        self.fitted = True
        if self.kind == RECORD:
            return track_record_from_ledger(self.data(), self._manual, self.year, self.month)
        if self.kind == "nämnd":
            return board_from_ledger(self.data(), self.year, self.month)[0]
        return categories_from_volumes(self.data(), self.year, self.month)


def computation(engine: Engine, kind: str, year: int, month: int) -> Computation:
    """The ``Computation`` of ``kind`` for the period."""
    return Computation(engine, kind, year, month)


def obtain(engine: Engine, data_version: int, year: int, month: int, kind: str) -> tuple[object, bool]:
    """The result ``kind`` of the period for the data version, stored, taken over or computed (``cached``), and
    whether its models were fitted here: the one way the server and the command line ask for it."""
    from forecasting import serial

    work = computation(engine, kind, year, month)
    result = cached(engine, data_version, year, month, kind, compute=work, digest=work.digest, dumps=serial.dumps,
                    loads=serial.loads, code_version=serial.CODE_VERSION)
    return result, work.fitted


@dataclass(frozen=True)
class Latest:
    """What ``compute_latest`` or ``compute_record`` did: the period (the year, for the track record), and the
    kinds or cut-off months whose results were computed (the others were stored already or taken over from a
    data version with the same inputs)."""

    period: tuple[int, int]
    fitted: tuple


def compute_latest(engine: Engine) -> Latest | None:
    """Compute and store the latest booked month's results of every kind, under the claim (a server that asks
    meanwhile waits for them rather than fitting them too). None when nothing is booked."""
    return _compute(engine, lambda latest: [(*latest, kind, kind) for kind in KINDS])


def compute_record(engine: Engine, cutoffs: tuple[int, ...] = (DELAR_2,)) -> Latest | None:
    """Compute and store the track record of the latest booked month's year at the cut-off months (by default
    delår 2's, the 5 % rule's, which the page shows first: the server computes the others in the background), as
    ``compute_latest``. None when nothing is booked."""
    return _compute(engine, lambda latest: [(latest[0], cutoff, RECORD, cutoff) for cutoff in cutoffs])


def _compute(engine: Engine, results) -> Latest | None:
    """``obtain`` each of ``results(latest)`` (year, month, kind, what to call it in ``Latest.fitted``) for the
    current data version; None when nothing is booked."""
    from data_access import queries

    latest = queries.latest_actual_month(engine)
    if latest is None:
        return None
    version = queries.data_version(engine)
    fitted = tuple(name for year, month, kind, name in results(latest) if obtain(engine, version, year, month, kind)[1])
    return Latest(latest, fitted)
