"""Issue 19: a forecast result is computed once per data version, whichever replica asks first."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone

import pandas as pd
from sqlalchemy import insert, select

from data_access import forecast_store
from data_access import schema as s
from data_access.engine import make_engine

KEY = dict(data_version=7, year=2025, cutoff_month=8, kind="nämnd")


def ask(url: str, computed: list, results: list, seconds: float = 0.6) -> None:
    """One replica: its own engine (its own connections), asking for the result."""
    engine = make_engine(url)

    def compute():
        computed.append(threading.get_ident())
        time.sleep(seconds)  # a fit takes a while: the others ask meanwhile
        return {"point": -1234.0}

    results.append(forecast_store.cached(engine, **KEY, compute=compute, dumps=lambda r: json.dumps(r).encode(),
                                         loads=json.loads, code_version="t1", poll_seconds=0.05))
    engine.dispose()


def test_issue_19_six_replicas_asking_at_once_compute_the_result_once(engine, db_url):
    computed, results = [], []
    replicas = [threading.Thread(target=ask, args=(db_url, computed, results)) for _ in range(6)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(60)
    assert len(computed) == 1
    assert results == [{"point": -1234.0}] * 6
    with engine.connect() as connection:
        assert connection.execute(select(s.forecast_claims)).first() is None  # released
        assert len(connection.execute(select(s.forecast_results)).all()) == 1


def test_issue_19_a_claim_whose_holder_died_lapses_and_is_taken_over(engine, db_url):
    dead = datetime.now(timezone.utc) - forecast_store.CLAIM_LAPSE - timedelta(seconds=1)
    with engine.begin() as connection:
        connection.execute(insert(s.forecast_claims).values(**KEY, code_version="t1", owner="borta:1:1",
                                                            heartbeat_at=dead))
    computed, results = [], []
    ask(db_url, computed, results, seconds=0.0)
    assert len(computed) == 1 and results == [{"point": -1234.0}]


def test_issue_19_a_live_claim_is_waited_for_not_computed_again(engine, db_url):
    with engine.begin() as connection:
        connection.execute(insert(s.forecast_claims).values(**KEY, code_version="t1", owner="annan:1:1",
                                                            heartbeat_at=datetime.now(timezone.utc)))
    computed, results = [], []
    waiter = threading.Thread(target=ask, args=(db_url, computed, results))
    waiter.start()
    time.sleep(0.5)
    assert waiter.is_alive() and computed == []  # waiting for the other replica's result
    forecast_store.store(engine, **KEY, code_version="t1", payload=json.dumps({"point": 5.0}).encode(), seconds=1.0)
    waiter.join(10)
    assert computed == [] and results == [{"point": 5.0}]


def test_walkthrough_2026_12_05_a_new_data_versions_first_result_keeps_how_long_the_others_took(engine):
    """After an import in the browser the bar waiting for the nämnd's forecast said nothing of how long it
    usually takes: the placements' forecast, stored first for the new data version, removed every result of the
    older one, the nämnd's with its time. An older result goes when a newer one of its own kind and period is
    stored (another period's stays, to be taken over where its inputs are the same: 2026-12-06 walk)."""
    forecast_store.store(engine, 1, 2025, 8, "nämnd", "t1", b"n", 7.5)
    forecast_store.store(engine, 1, 2025, 8, "kategorier", "t1", b"k", 1.0)
    forecast_store.store(engine, 2, 2025, 9, "kategorier", "t1", b"k2", 1.1)
    assert forecast_store.typical_seconds(engine, "nämnd") == 7.5
    assert forecast_store.typical_seconds(engine, "kategorier") == 1.1
    forecast_store.store(engine, 2, 2025, 9, "nämnd", "t1", b"n2", 8.0)
    forecast_store.store(engine, 3, 2025, 9, "nämnd", "t1", b"n3", 8.1)
    with engine.connect() as connection:
        kept = connection.execute(select(s.forecast_results.c.data_version, s.forecast_results.c.cutoff_month,
                                         s.forecast_results.c.kind)
                                  .order_by(s.forecast_results.c.kind, s.forecast_results.c.cutoff_month)).all()
    assert [tuple(row) for row in kept] == [(1, 8, "kategorier"), (2, 9, "kategorier"), (1, 8, "nämnd"),
                                            (3, 9, "nämnd")]


UTFALL = ("Månad;Verksamhet;Kontogrupp;Belopp\n2025-07;A;personalkostnader;1 000\n"
          "2025-08;A;personalkostnader;2 000\n2025-08;B;intäkter;−300\n")


def test_a_data_version_with_the_same_inputs_takes_over_the_stored_result(engine):
    """Issue 19: an import of the managers' forecast, a new data version, changed nothing the models read; the
    nämnd's forecast was fitted again all the same (5–12 s on the sample, every page waiting). A stored result
    whose inputs have the same digest is taken over; a corrected utfall is computed anew."""
    from data_access import queries
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    computed = []

    def forecast():
        work = forecast_store.computation(engine, "nämnd", 2025, 8)

        def compute():
            computed.append(queries.data_version(engine))
            return {"fitted": len(computed)}

        return forecast_store.cached(engine, queries.data_version(engine), 2025, 8, "nämnd", compute=compute,
                                     digest=work.digest, dumps=lambda r: json.dumps(r).encode(), loads=json.loads,
                                     code_version="t1")

    def stored():
        table = s.forecast_results
        with engine.connect() as connection:
            return connection.execute(select(table.c.data_version, table.c.input_digest)).all()

    assert import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    first = queries.data_version(engine)
    assert forecast() == {"fitted": 1}
    assert import_file(engine, "prognos", "Månad;Verksamhet;Belopp\n2025-08;A;-4 000\n".encode(), "prognos.csv",
                       actor=LOCAL, accept=ACCEPT_ALL).ok
    assert queries.data_version(engine) > first
    assert forecast() == {"fitted": 1} and computed == [first]
    (version, digest), = stored()
    assert version == queries.data_version(engine) and len(digest) == 64
    corrected = "Månad;Verksamhet;Kontogrupp;Belopp\n2025-08;A;personalkostnader;2 500\n"
    assert import_file(engine, "utfall", corrected.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    assert forecast() == {"fitted": 2} and computed[-1] == queries.data_version(engine)
    assert stored()[0].input_digest != digest
    # 2026-12-06 walk: August opened after September's import was fitted again. September's utfall is nothing
    # August's models read; a new verksamhet first booked in September neither.
    september = "Månad;Verksamhet;Kontogrupp;Belopp\n2025-09;A;personalkostnader;2 100\n2025-09;C;intäkter;−50\n"
    assert import_file(engine, "utfall", september.encode(), "september.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    assert forecast() == {"fitted": 2} and len(computed) == 2


def test_the_digest_reads_values_types_and_order():
    base = pd.DataFrame({"year": [2025, 2025], "month": [7, 8], "actual_kr": [1.0, 2.0]})
    digest = forecast_store.frame_digest(base)
    assert digest == forecast_store.frame_digest(base.copy())
    assert digest != forecast_store.frame_digest(base.assign(actual_kr=[1.0, 2.000001]))
    assert digest != forecast_store.frame_digest(base.iloc[::-1])
    assert digest != forecast_store.frame_digest(base.astype({"actual_kr": "float32"}))
    assert digest != forecast_store.frame_digest(base.rename(columns={"actual_kr": "budget_kr"}))
