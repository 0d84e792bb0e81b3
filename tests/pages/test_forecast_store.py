"""Issue 15: one forecast figure on every page, computed once per data version and shared."""

import time

import pytest
from sqlalchemy import delete, func, select

from data_access import schema as s
from data_access.engine import make_engine
from tests.pages.test_pages import metrics
from tests.pages.tabs import lock_version, open_tab


def stored_kinds(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as connection:
        kinds = set(connection.execute(select(s.forecast_results.c.kind)).scalars())
    engine.dispose()
    return kinds


def test_background_computation_stores_and_a_second_process_only_reads(app_test, sample_url, monkeypatch):
    engine = make_engine(sample_url)
    with engine.begin() as connection:
        connection.execute(delete(s.forecast_results))
    engine.dispose()
    monkeypatch.setenv("NAMNDPANELEN_PRECOMPUTE", "1")
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.monotonic() + 180
    while stored_kinds(sample_url) != {"nämnd", "kategorier"} and time.monotonic() < deadline:
        time.sleep(0.5)
    assert stored_kinds(sample_url) == {"nämnd", "kategorier"}

    # Another server process: empty caches, and any model fit would fail.
    import streamlit as st

    from forecasting import board

    st.cache_data.clear()

    def no_fit(*args, **kwargs):
        raise AssertionError("prognosen skattades igen fast den fanns sparad")

    monkeypatch.setattr(board, "forecast_board", no_fit)
    monkeypatch.setattr(board, "forecast_categories", no_fit)
    for page in ("pages/2_Prognos.py", "pages/5_Scenarier.py"):
        at = app_test(page, sample_url).run()
        assert not at.exception, [e.value for e in at.exception]


def test_one_forecast_figure_on_every_page_and_in_the_meeting_pack(app_test, sample_url, monkeypatch):
    """The year-end on Budget mot utfall, Prognos, Scenarier and the meeting pack is the same figure."""
    budget = metrics(app_test("pages/1_Budget_mot_utfall.py", sample_url).run())
    prognos_at = app_test("pages/2_Prognos.py", sample_url).run()
    prognos = metrics(prognos_at)
    scenario = metrics(app_test("pages/5_Scenarier.py", sample_url).run())
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from domain.formatting import format_tkr
    from ui import state

    key = state.db_key()
    pack = state.meeting_pack(key, state.scenarios_key(), 2025, 8, state.versions_key())
    assert budget["Helårsprognos"] == prognos["Helårsprognos"] == format_tkr(pack.official.point)
    assert scenario["Grundprognos, helår"] == format_tkr(pack.official.point) == budget["Helårsprognos"]
    assert format_tkr(pack.board.point) == budget["Helårsprognos"]
    assert pack.forecast_label == "Preliminär statistisk prognos aug 2025"
    # The placement slide ends at the controllers' volume forecast: its sentence and footer say so, not the
    # statistical forecast of the other slides (found on a walkthrough of nämndläge).
    placements = next(screen for screen in pack.screens if screen.key == "placeringar")
    assert pack.placement_basis == "Controllernas volymprognos aug 2025"
    assert placements.headline.startswith("Enligt controllernas volymprognos aug 2025 kostar placeringarna")
    assert placements.source == "placeringar: budget helår mot controllernas volymprognos aug 2025"
    assert all(screen.source == "" for screen in pack.screens if screen.key != "placeringar")

    # A locked version saved for the cut-off becomes the period's forecast everywhere, named as such.
    open_tab(prognos_at, "prognos_tab", "Spara version")
    lock_version(prognos_at)
    assert not prognos_at.exception
    budget_at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert any('Låst version "Delårsrapport 2 2025"' in c.value for c in budget_at.caption)
    assert metrics(budget_at)["Helårsprognos"] == budget["Helårsprognos"]  # nothing changed since it was saved
    pack = state.meeting_pack(key, state.scenarios_key(), 2025, 8, state.versions_key())
    assert pack.official.locked and pack.forecast_label.startswith('Låst version "Delårsrapport 2 2025"')
    assert any("låst version" in screen.headline for screen in pack.screens[:1])


def test_issue_15_budget_page_waits_for_the_periods_forecast_instead_of_showing_another(app_test, sample_url):
    """Walkthrough: with the period's forecast not yet computed, Budget mot utfall showed the managers' forecast in
    its place, promised the statistical one "when it is ready", and kept the managers' figure until the page was
    left. It now waits for it, as Prognos does, and states the one figure of the period."""
    engine = make_engine(sample_url)
    with engine.begin() as connection:
        connection.execute(delete(s.forecast_results))
        assert connection.execute(select(func.count()).select_from(s.forecast_results)).scalar() == 0
    engine.dispose()
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert not at.exception
    shown = metrics(at)
    assert "Verksamheternas prognos" not in shown and shown["Helårsprognos"].endswith("tkr")
    assert any("Helårsprognosen (preliminär statistisk prognos aug 2025) pekar på" in m.value for m in at.markdown)
    caption = " ".join(c.value for c in at.caption)
    assert "beräknas" not in caption
    engine = make_engine(sample_url)
    with engine.connect() as connection:  # computed once, for every session and replica
        assert connection.execute(select(func.count()).select_from(s.forecast_results)).scalar() >= 1
    engine.dispose()


@pytest.mark.parametrize("tamper", ["code", "bytes"])
def test_a_stored_result_of_another_release_or_damaged_is_computed_again(tamper):
    import numpy as np
    import pandas as pd

    from forecasting import serial
    from forecasting.yearend import forecast_year_end

    series = pd.Series(-1000.0 - np.arange(44.0), index=pd.period_range("2021-01", periods=44, freq="M"))
    result = forecast_year_end(series, pd.Period("2024-08", "M"), n_paths=50)
    data = serial.dumps(result)
    back = serial.loads(data)
    assert back.point == result.point and np.array_equal(back.paths, result.paths)
    assert back.monthly.equals(result.monthly) and back.params == result.params
    if tamper == "code":
        monkey = serial.CODE_VERSION
        serial.CODE_VERSION = "0" * 16
        try:
            with pytest.raises(ValueError, match="annan version"):
                serial.loads(data)
        finally:
            serial.CODE_VERSION = monkey
    else:
        with pytest.raises(ValueError, match="kan inte läsa"):
            serial.loads(data[: len(data) // 2])


def test_issue_19_a_page_request_never_fits_a_model(app_test, sample_url, monkeypatch):
    """With nothing stored, Prognos waits for the background thread; no model is fitted in a page's own thread."""
    import threading

    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from forecasting import board

    engine = make_engine(sample_url)
    with engine.begin() as connection:
        connection.execute(delete(s.forecast_results))
    engine.dispose()
    st.cache_data.clear()
    fits = []

    def watched(function):
        def fit(*args, **kwargs):
            fits.append((function.__name__, get_script_run_ctx(suppress_warning=True) is None,
                         threading.current_thread().name))
            return function(*args, **kwargs)
        return fit

    from forecasting import parallel, yearend

    monkeypatch.setattr(board, "forecast_board", watched(board.forecast_board))
    monkeypatch.setattr(board, "forecast_categories", watched(board.forecast_categories))
    monkeypatch.setattr(parallel, "forecast_year_end", watched(yearend.forecast_year_end))
    monkeypatch.setattr(yearend, "forecast_year_end", watched(yearend.forecast_year_end))  # the backtests
    at = app_test("pages/2_Prognos.py", sample_url).run(timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    assert any(name == "forecast_board" for name, _, _ in fits)
    fitted = len(fits)
    at.session_state["prognos_tab"] = "Träffsäkerhet"
    at.run(timeout=180)  # the track record: a backtest per verksamhet, waited for
    assert not at.exception, [e.value for e in at.exception]
    assert len(fits) > fitted
    assert all(outside_page for _, outside_page, _ in fits), fits
    assert all(thread.startswith("prognosberäkning") for _, _, thread in fits), fits
    assert stored_kinds(sample_url) >= {"nämnd"}
    assert any(m.label == "Helårsprognos" for m in at.metric)


def test_issue_15_scenarios_start_from_the_locked_version_when_there_is_one(app_test, sample_url):
    """A locked version that differs from today's statistical forecast is Scenarier's base, named as such."""
    from data_access.forecast_versions import save_version
    from domain.access import CONTROLLER, Actor
    from domain.formatting import format_tkr
    from tests.forecasting.test_views_and_versions import line

    engine = make_engine(sample_url)
    save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("anna", CONTROLLER), lines=[line(point=-350_000_000)])
    engine.dispose()
    budget = metrics(app_test("pages/1_Budget_mot_utfall.py", sample_url).run())
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert shown["Grundprognos, helår"] == format_tkr(-350_000_000)
    assert budget["Helårsprognos"].replace("\u00a0", " ") == "\u2212350 000 tkr"
    labels = [label for chart in at.get("plotly_chart")
              for trace in __import__("json").loads(chart.proto.spec)["data"] for label in trace.get("y", [])
              if isinstance(label, str)]
    assert any(label.startswith("Låst version") for label in labels), labels


def test_issue_19_a_stored_track_record_keeps_its_text_columns():
    """The track record's frames name each row's method: stored as text in the header, read back without pickle
    (an object array was refused on reading, and the record computed again on every request)."""
    import numpy as np
    import pandas as pd

    from forecasting import serial

    frame = pd.DataFrame({"year": [2023, 2024], "method": ["auto (ETS)", "verksamheternas prognos"],
                          "forecast": [1.5, float("nan")], "within_target": [True, False]})
    back = serial.loads(serial.dumps({"Ekonomiskt bistånd": frame}))
    pd.testing.assert_frame_equal(back["Ekonomiskt bistånd"], frame)
    with pytest.raises(TypeError, match="objektvektor"):
        serial.dumps({"a": np.array(["x", None], dtype=object)})


def test_walk_2026_12_06_a_run_of_imports_never_holds_the_forecast_a_page_waits_for(monkeypatch):
    """After five imports in a row Prognos and Budget mot utfall waited for ever: each data version's track
    records ran in a background thread that waited for its next cut-off, queued in the same four threads behind
    the others' waits. Six data versions started one after the other: the newest one's forecast and every
    cut-off of its track record are done, and the replaced versions stop their chains."""
    from data_access.forecast_store import RECORD
    from domain.periods import RECORD_CUTOFFS
    from ui import state

    computed = []

    def fake(kind, key, year, month):
        time.sleep(0.2)
        computed.append((key, kind, month))
        return kind

    monkeypatch.setattr(state, "_fetch_or_compute", fake)
    monkeypatch.setattr(state, "latest_month", lambda key: (2025, 9))
    keys = [("test://importer-i-rad", version) for version in range(1, 7)]
    for key in keys:
        state.precompute(key)
    newest = keys[-1]
    assert state.start_forecast("nämnd", newest, 2025, 9).result(timeout=30) == "nämnd"
    deadline = time.monotonic() + 30
    while {m for k, kind, m in computed if k == newest and kind == RECORD} != set(RECORD_CUTOFFS) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert {m for k, kind, m in computed if k == newest and kind == RECORD} == set(RECORD_CUTOFFS)
    assert len([1 for k, kind, _ in computed if k == keys[0] and kind == RECORD]) < len(RECORD_CUTOFFS)


def test_walk_2026_12_07_a_result_read_before_its_callback_is_added_holds_nothing(monkeypatch):
    """A result read from the store can be done before ``_in_background`` adds its callback; the callback then ran at
    once, under the guard it takes itself, and held every later forecast request and the server's stop for ever.
    Here the background runs each job at once, in the caller's thread: every request still returns."""
    import threading
    from concurrent.futures import Future

    from ui import state

    class AtOnce:
        def submit(self, function, *arguments):
            future = Future()
            future.set_result(function(*arguments))
            return future

    monkeypatch.setattr(state, "_background", lambda: AtOnce())
    monkeypatch.setattr(state, "_fetch_or_compute", lambda kind, key, year, month: (kind, month))
    key = ("test://genast", 1)
    answers = []
    asking = threading.Thread(target=lambda: answers.extend(
        state.start_forecast(kind, key, 2025, month).result() for kind in ("nämnd", "kategorier") for month in (7, 8)),
        daemon=True)
    asking.start()
    asking.join(timeout=10)
    assert not asking.is_alive(), "the guard was held: a forecast request waited for ever"
    assert answers == [("nämnd", 7), ("nämnd", 8), ("kategorier", 7), ("kategorier", 8)]
    assert state.forecast_to_wait_for("nämnd", key, 2025, 7) is None  # done, and known to be done


def test_walk_2026_12_07_a_page_may_wait_twice_in_one_run():
    """Varför ändrades prognosen waited for last month's forecasts and then for this month's placements: the two
    bars had one key, and Streamlit stopped the page ("multiple elements with the same key")."""
    from streamlit.testing.v1 import AppTest

    def page():
        import time
        from concurrent.futures import ThreadPoolExecutor

        import streamlit as st

        from ui import layout

        pool = ThreadPoolExecutor(2)
        for kind in ("nämnd", "kategorier"):
            layout._await({kind: pool.submit(time.sleep, 0.6)}, lambda what: f"Beräknar {what}", "")
        st.markdown("Klar")

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown][-1] == "Klar"
