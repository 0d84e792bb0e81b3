"""Volume × price: the decomposition adds up to the krona; Norrtälje's 2025 tables as oracle (issue 5)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access import queries
from data_access.engine import make_engine, migrate
from data_access.importer import ACCEPT_ALL, import_file
from domain import placements as pl
from domain.access import LOCAL
from tests.conftest import REFERENCE

volume = st.one_of(st.just(0.0), st.floats(0, 50_000, allow_nan=False))
price = st.one_of(st.just(0.0), st.floats(0, 20_000, allow_nan=False), st.just(float("nan")))


@given(st.lists(st.tuples(st.sampled_from(["barn och unga", "vuxna"]), volume, price, volume, price),
                min_size=1, max_size=12))
def test_volume_mix_and_price_add_up_to_the_krona(rows):
    frame = pd.DataFrame([{"category": f"k{i}", "group": g, "days_a": va, "price_a": pa, "days_b": vb,
                           "price_b": pb} for i, (g, va, pa, vb, pb) in enumerate(rows)])
    result = pl.decompose(frame)
    parts = result.categories[["volume", "mix", "price"]].sum(axis=1)
    assert (parts == result.categories["total"]).all()
    assert np.isfinite(result.categories[["volume", "mix", "price", "total"]].to_numpy()).all()
    groups = result.groups
    assert ((groups["volume"] + groups["mix"] + groups["price"]) == groups["cost_b"] - groups["cost_a"]).all()
    assert result.cost_b - result.cost_a == result.categories["total"].sum()


@given(st.floats(1, 10_000), st.floats(1, 5_000), st.floats(1, 10_000), st.floats(1, 5_000))
def test_one_category_matches_the_midpoint_formula(va, pa, vb, pb):
    frame = pd.DataFrame([{"category": "k", "group": "g", "days_a": va, "price_a": pa, "days_b": vb, "price_b": pb}])
    row = pl.decompose(frame).categories.iloc[0]
    assert row["mix"] == 0
    assert abs(row["volume"] - (vb - va) * (pa + pb) / 2) <= 0.5
    assert abs(row["price"] - (pb - pa) * (va + vb) / 2) <= 2.0  # takes the rounding of four amounts


@given(st.lists(st.tuples(volume, st.floats(1, 20_000), volume, st.floats(1, 20_000)), min_size=1, max_size=8))
def test_each_category_price_effect_is_its_midpoint_price_effect(rows):
    frame = pd.DataFrame([{"category": f"k{i}", "group": "g", "days_a": va, "price_a": pa, "days_b": vb,
                           "price_b": pb} for i, (va, pa, vb, pb) in enumerate(rows)])
    result = pl.decompose(frame).categories
    exact = pl.shapley_price_effect(result)
    assert (abs(result["price"] - exact) <= 2.0).all()  # four amounts rounded to whole kronor meet here


def test_mix_effect_at_unchanged_total_days_and_prices():
    # Days move from konsulentstödd familjehem (2 914 kr) to HVB (5 885 kr): no volume, no price, only mix.
    frame = pd.DataFrame([
        {"category": "HVB", "group": "barn", "days_a": 100, "price_a": 5885, "days_b": 150, "price_b": 5885},
        {"category": "Konsulent", "group": "barn", "days_a": 200, "price_a": 2914, "days_b": 150, "price_b": 2914},
    ])
    group = pl.decompose(frame).groups.iloc[0]
    assert group["volume"] == 0 and group["price"] == 0
    assert group["mix"] == 50 * 5885 - 50 * 2914


def test_new_category_and_zero_volume():
    frame = pd.DataFrame([
        {"category": "Ny", "group": "g", "days_a": 0, "price_a": np.nan, "days_b": 30, "price_b": 1000},
        {"category": "Slut", "group": "g", "days_a": 40, "price_a": 500, "days_b": 0, "price_b": np.nan},
    ])
    rows = pl.decompose(frame).categories.set_index("category")
    assert rows.loc["Ny", "price"] == 0 and rows.loc["Ny", "total"] == 30_000
    assert rows.loc["Slut", "price"] == 0 and rows.loc["Slut", "total"] == -20_000


@pytest.fixture
def norrtalje_volumes(tmp_path, norrtalje_volume_files):
    engine = make_engine(f"sqlite:///{tmp_path / 'v.sqlite3'}")
    migrate(engine)
    for kind in ("volymbudget", "volymprognos", "volymer"):
        result = import_file(engine, kind, norrtalje_volume_files[kind].read_bytes(), f"{kind}.csv", actor=LOCAL, accept=ACCEPT_ALL)
        assert result.ok, [str(p) for p in result.problems]
    volumes = queries.monthly_volumes(engine, [2024, 2025])
    forecasts, _ = queries.volume_forecasts(engine, 2025, 8)
    return pl.volume_tables(volumes, queries.volume_budgets(engine), forecasts, queries.categories(engine), 2025, 8)


def test_norrtalje_volume_deviations(norrtalje_volumes):
    published = pd.read_csv(REFERENCE / "norrtalje_2025_volymer_dygn.csv").set_index("kategori")
    table = norrtalje_volumes.set_index("category")
    for name, row in published.iterrows():
        assert table.loc[name, "days_variance_forecast"] == row["avvikelse_budget_prognos"], name
        assert table.loc[name, "days_ytd"] == row["utfall_jan_aug_2025"]
        assert round(table.loc[name, "budget_days_ytd"]) == row["periodiserad_budget_jan_aug_2025"]
        assert table.loc[name, "days_last_year"] == row["utfall_2024"]
    assert table.loc["Arvoderad familjehemsvård barn och unga", "days_variance_forecast"] == -9566
    assert table["days_variance_forecast"].sum() == -20421
    assert table["forecast_days"].sum() == 108931  # not the misprinted 109 669
    assert table.loc["Extern öppenvård barn och unga (dagar)", "unit"] == "dagar"


def test_norrtalje_prices_and_the_exact_decomposition(norrtalje_volumes):
    published = pd.read_csv(REFERENCE / "norrtalje_2025_a_priser_kr_per_dygn.csv").set_index("kategori")
    table = norrtalje_volumes.set_index("category")
    for name, row in published.iterrows():
        assert round(table.loc[name, "price_ytd"]) == row["utfall_jan_aug_2025"]
        # Positive = favourable, as every avvikelse in the product (the report prints price rises as positive).
        assert table.loc[name, "price_variance_forecast"] == row["budget_2025"] - row["prognos_2025"]
    result = pl.decompose(pl.comparison_frame(norrtalje_volumes, "budget_forecast"))
    volumes = pd.read_csv(REFERENCE / "norrtalje_2025_volymer_dygn.csv")
    expected = float((volumes["prognos_2025"] * published["prognos_2025"].to_numpy()).sum()
                     - (volumes["budget_2025"] * published["budget_2025"].to_numpy()).sum())
    assert result.cost_b - result.cost_a == expected
    groups = result.groups.set_index("group")
    assert (groups["volume"] + groups["mix"] + groups["price"] == groups["cost_b"] - groups["cost_a"]).all()
    # The reference README's sequential figures: volume at budget price 24 668 and −17 893 tkr,
    # price at budget volume 9 090 and −3 388 tkr; the published text's 17 200 / −13 300 / 6 300 are not.
    other = pl.sequential_effects(pl.comparison_frame(norrtalje_volumes, "budget_forecast", split_units=False)
                                  ).set_index("group")
    assert round(other.loc["barn och unga", "volume_at_a_price"] / 1000) == 24668
    assert round(other.loc["vuxna", "volume_at_a_price"] / 1000) == -17893
    assert round(other.loc["barn och unga", "price_at_a_volume"] / 1000) == 9090
    assert round(other.loc["vuxna", "price_at_a_volume"] / 1000) == -3388


def test_outlier_months_and_plan_prices():
    rows = [{"year": 2024, "month": m, "category": "HVB", "care_days": 100.0, "cost_kr": 600_000.0 + m * 1000}
            for m in range(1, 13)]
    rows[10]["cost_kr"] = 1_100_000.0
    flagged = pl.outlier_months(pd.DataFrame(rows))
    assert list(zip(flagged["year"], flagged["month"])) == [(2024, 11)]
    assert pl.plan_prices(5885, [0.035, 0.031]) == pytest.approx([6090.975, 6279.795225], rel=1e-12)


def test_largest_variances_keep_the_total():
    from domain.meeting import largest_variances

    frame = pd.DataFrame({"activity": list("ABCDEFGH"), "budget_ytd": [-100.0] * 8,
                          "actual_ytd": [-100.0 + v for v in (50, -40, 3, -2, 1, 30, -20, 10)]})
    frame["variance_ytd"] = frame["actual_ytd"] - frame["budget_ytd"]
    frame["relative"] = frame["variance_ytd"] / 100
    top = largest_variances(frame, 4)
    assert list(top["activity"][:4]) == ["A", "B", "F", "G"]
    assert top.iloc[-1]["activity"] == "Övriga verksamheter (4)"
    assert top["variance_ytd"].sum() == frame["variance_ytd"].sum()
    # 2026-12-07 new-municipality walk: with one verksamhet left over it is drawn by its name, not as
    # "Övriga verksamheter (1)".
    five = largest_variances(frame.iloc[:5], 4)
    assert sorted(five["activity"]) == list("ABCDE") and not five["activity"].str.startswith("Övriga").any()


def test_the_ytterfall_table_lists_the_latest_month_first():
    """Walkthrough: the table came in category order, mar 2025 (69 tkr) above feb 2025 (1 674 tkr) above …"""
    outliers = pd.DataFrame([
        {"category": "A", "year": 2024, "month": 11, "price": 9_000.0, "usual_price": 6_000.0, "excess_kr": 90_000.0},
        {"category": "A", "year": 2025, "month": 3, "price": 8_000.0, "usual_price": 6_000.0, "excess_kr": 69_000.0},
        {"category": "B", "year": 2025, "month": 2, "price": 9_900.0, "usual_price": 6_100.0, "excess_kr": 1_674_000.0},
        {"category": "C", "year": 2025, "month": 3, "price": 7_900.0, "usual_price": 6_000.0, "excess_kr": 120_000.0},
    ])
    table = pl.outliers_table(outliers)
    assert [(r["category"], str(r["month"])) for r in table.rows] == [
        ("C", "2025-03"), ("A", "2025-03"), ("B", "2025-02"), ("A", "2024-11")]


def test_days_are_added_up_only_within_one_unit():
    """Walkthrough: HVB had 203 fewer dygn than budgeted, yet its group showed a volume increase, because the
    group's change added öppenvård's dagar to placements' dygn. A group with several units is split by unit."""
    table = pd.DataFrame({
        "category": ["HVB", "Familjehem", "Öppenvård", "Skyddat boende"],
        "group": ["barn och unga", "barn och unga", "barn och unga", "vuxna"],
        "unit": ["dygn", "dygn", "dagar", "dygn"],
        "budget_days": [7_000.0, 10_000.0, 9_000.0, 1_700.0], "budget_price": [6_000.0, 1_000.0, 900.0, 2_000.0],
        "forecast_days": [6_800.0, 10_000.0, 10_500.0, 1_700.0],
        "forecast_price": [6_000.0, 1_000.0, 900.0, 2_000.0]})
    frame = pl.comparison_frame(table, "budget_forecast")
    categories = pl.decompose(frame).categories
    assert list(categories["group"]) == ["barn och unga, dygn", "barn och unga, dygn", "barn och unga, dagar",
                                         "vuxna"]
    groups = pl.decompose(frame).groups.set_index("group")
    assert groups.loc["barn och unga, dygn", "volume"] < 0 < groups.loc["barn och unga, dagar", "volume"]
    assert groups["total"].sum() == -200 * 6_000 + 1_500 * 900


def test_the_plan_years_start_from_this_years_expected_price():
    """Walkthrough: "À-pris plan 2027 6 280 kr" was the 2025 budget price (5 885) raised twice, below this
    year's utfall 6 419 and forecast 6 544. The base is the controllers' forecast, else utfall, else budget."""
    table = pd.DataFrame({"category": ["HVB", "Stöd", "Ny"], "forecast_price": [6_544.0, np.nan, np.nan],
                          "price_ytd": [6_419.0, 1_200.0, np.nan], "budget_price": [5_885.0, 1_100.0, 900.0]})
    assert pl.plan_base(table, "HVB") == ("Controllernas volymprognos", 6_544.0)
    assert pl.plan_base(table, "Stöd") == ("Utfall hittills", 1_200.0)
    assert pl.plan_base(table, "Ny") == ("Budget", 900.0)
    assert pl.plan_base(table, "Saknas") is None
    assert round(pl.plan_prices(6_544.0, [0.035, 0.031])[1]) == round(6_544 * 1.035 * 1.031)


def test_a_cost_bridge_is_drawn_against_its_start_and_merges_the_small_steps_on_a_slide():
    """Walkthrough: drawn from zero, two totals of some 94 000 and 99 000 tkr left steps of a few hundred tkr
    as slivers; on the slide, Plotly left every other name out of eleven steps. The bridge starts at A, names
    both totals, and a slide keeps the largest steps with the rest as one. Its sign is the avvikelse's (a
    second walk: slide 3 wrote "+ = högre kostnad" two slides after "+" meant favourable)."""
    steps = [("HVB: pris", -4_274_000.0), ("HVB: mix", 1_087_000.0), ("Vuxna: pris", -944_000.0),
             ("Öppenvård: volym", -795_000.0), ("Vuxna: volym", 487_000.0), ("Vuxna: mix", -356_000.0),
             ("HVB: volym", 289_000.0)]
    bridge = pl.cost_bridge("Budget helår", 94_191_000.0, steps, "Controllernas prognos", 98_697_000.0)
    nbsp = "\u00a0"
    assert bridge.start_label == f"Budget helår, 94{nbsp}191{nbsp}tkr"
    assert bridge.end_label == f"Controllernas prognos, 98{nbsp}697{nbsp}tkr" and bridge.end == -4_506_000.0
    assert bridge.axis_title == "Avvikelse mot budget helår, tkr (+ = lägre kostnad)" and bridge.steps == steps
    slide = pl.cost_bridge("Budget helår", 94_191_000.0, steps, "Controllernas prognos", 98_697_000.0, largest=4)
    assert [name for name, _ in slide.steps] == ["HVB: pris", "HVB: mix", "Vuxna: pris", "Öppenvård: volym",
                                                 "Övriga effekter (3 st.)"]
    assert slide.steps[-1][1] == 487_000.0 - 356_000.0 + 289_000.0
    assert sum(v for _, v in slide.steps) == sum(v for _, v in steps) == slide.end
    # One step more than the largest is shown as itself: a merged step of one would hide its name.
    assert pl.cost_bridge("A", 0.0, steps[:5], "B", 0.0, largest=4).steps == steps[:5]


def test_placement_effects_are_avvikelse_on_the_bridge_the_table_and_the_sentences(norrtalje_volumes):
    """Second walk: the placement bridge counted + as higher cost while every other avvikelse counts + as
    favourable. Bridge steps, the effects table, the sequential table and the sentences now agree: plus = less
    cost than A, and the parts still add up to the krona."""
    from domain import meeting

    result = pl.decompose(pl.comparison_frame(norrtalje_volumes, "budget_forecast"))
    steps = pl.bridge_steps(result)
    assert sum(v for _, v in steps) == result.cost_a - result.cost_b < 0  # the forecast costs more than budget
    assert sorted(v for _, v in steps) == sorted(-v for _, _, v in pl.group_effects(result))
    effects = pl.effects_table(result, "Budget helår", "Controllernas prognos")
    total = effects.rows[-1]
    assert effects.columns[3].label == "Avvikelse" and total["total"] == result.cost_a - result.cost_b
    # 2026-12-05 walks: at 1280 px the effects lay beyond the grid's edge; the avvikelse follows the costs, then
    # what it is made of, the group last.
    assert [c.key for c in effects.columns] == ["category", "cost_a", "cost_b", "total", "volume", "mix", "price",
                                                "group"]
    assert total["volume"] + total["mix"] + total["price"] == total["total"]
    assert total["cost_a"] - total["cost_b"] == total["total"]
    # 2026-12-04 walkthrough: the papers spoke of A and B without saying what they were; the table's note names
    # them, wherever the table is shown.
    assert effects.note.startswith("Effekterna visas som avvikelse, A − B, där A är budget helår och B "
                                   "controllernas prognos: plus = lägre kostnad än A")
    sequential = pl.sequential_effects_table(pl.comparison_frame(norrtalje_volumes, "budget_forecast",
                                                                 split_units=False))
    barn = next(r for r in sequential.rows if r["group"] == "barn och unga")
    assert round(barn["volume_at_a_price"] / 1000) == -24668  # the reference's volume at budget price, as avvikelse
    sentence = pl.headline(result, "budget_forecast")
    assert "högre än budget helår" in sentence and "(plus = lägre kostnad)" in sentence
    slide = meeting.placement_headline(result, "Controllernas prognos")
    assert slide.startswith("Enligt controllernas prognos kostar placeringarna ") and "+" not in slide
    assert " mer än budgeterat. Störst effekt: " in slide
    # 2026-12-05 walkthrough: an effect summed over the groups had no bar of its size on the slide; it says so.
    biggest = max(("volume", "mix", "price"), key=lambda name: abs(float(result.groups[name].sum())))
    several = int((result.groups[biggest].abs() >= 0.5).sum()) > 1
    assert ("sammanlagt " in slide) == several
    # Third 2026-12-07 walk: "fler dygn, sammanlagt 5,1 mnkr" summed dygn and dagar; the volume is said as the bars
    # say it.
    assert "dygn" not in slide.split("Störst effekt: ")[1]
    volume_first = pl.Decomposition(result.categories, result.groups.assign(volume=result.groups["total"], mix=0.0,
                                                                            price=0.0))
    assert "Störst effekt: större volym, " in meeting.placement_headline(volume_first, "Controllernas prognos")


def test_a_bridge_against_budget_writes_its_totals_with_their_sign():
    """Second walk: the scenario slide wrote its totals "7 204" and "4 435" beside steps "+1 166" and "−385";
    totals against budget are avvikelser and carry their sign, a net result's do not."""
    from ui import charts

    nbsp = "\u00a0"
    against = charts.result_bridge_chart("Grundprognos", -365_766_000.0, [("Statsbidrag", -1_500_000.0)],
                                         "Med scenariot", -367_266_000.0, -372_970_000.0)
    assert list(against.data[0].text) == [f"+7{nbsp}204", f"\u22121{nbsp}500", f"+5{nbsp}704"]
    net = charts.result_bridge_chart("Grundprognos", -365_766_000.0, [("Statsbidrag", -1_500_000.0)],
                                     "Med scenariot", -367_266_000.0, None)
    assert list(net.data[0].text) == [f"\u2212365{nbsp}766", f"\u22121{nbsp}500", f"\u2212367{nbsp}266"]
    placements = charts.cost_bridge_chart(pl.cost_bridge("Budget", 94_191_000.0, [("HVB: pris", 1_000_000.0)],
                                                         "Prognos", 93_191_000.0))
    assert list(placements.data[0].text)[1:] == [f"+1{nbsp}000", f"+1{nbsp}000"]


def test_the_periodised_budget_covers_the_months_whose_volumes_are_booked():
    """2026-12-05 walkthrough: with September's utfall in and the volymer to August, "Periodiserad budget →
    utfall jan–sep" set nine months of budget against eight months of costs, a volume gain of one month's
    budget, on the page and in the papers."""
    volumes = pd.DataFrame([{"year": 2025, "month": m, "category": "HVB", "care_days": 100.0, "cost_kr": 300_000.0}
                            for m in range(1, 9)])
    budgets = pd.DataFrame([{"year": 2025, "category": "HVB", "care_days": 1200.0, "unit_price_kr": 3000.0}])
    categories = pd.DataFrame([{"name": "HVB", "client_group": "barn och unga", "unit": "dygn", "sort_order": 1}])
    table = pl.volume_tables(volumes, budgets, pd.DataFrame(), categories, 2025, 9)
    assert table.loc[0, "budget_days_ytd"] == 800 and table.loc[0, "days_ytd"] == 800  # jan–aug both
    assert table.loc[0, "days_variance_ytd"] == 0
    assert pl.volume_span(table, 2025) == "jan–aug 2025"
    assert pl.volumes_behind(table, 2025, 9) == (
        "Volymerna är inlästa t.o.m. aug 2025: utfall och periodiserad budget gäller jan–aug 2025, inte september.")
    on_time = pl.volume_tables(volumes, budgets, pd.DataFrame(), categories, 2025, 8)
    assert pl.volumes_behind(on_time, 2025, 8) == "" and pl.volume_span(on_time, 2025) == "jan–aug 2025"
    earlier = pl.volume_tables(volumes, budgets, pd.DataFrame(), categories, 2025, 5)
    assert earlier.loc[0, "budget_days_ytd"] == 500 and pl.volume_span(earlier, 2025) == "jan–maj 2025"


def test_walkthrough_2026_12_05_the_footer_names_the_comparison_shown():
    """With "Periodiserad budget → utfall jan–aug 2025" chosen, the footer still said "controllernas
    volymprognos aug 2025": it names the source of the comparison on the page."""
    table = pd.DataFrame({"through_month": [8]})
    assert pl.comparison_source("budget_forecast", table, 2025, 8, 8) == "controllernas volymprognos aug 2025"
    assert pl.comparison_source("budget_forecast", table, 2025, 8, None) == "ingen volymprognos inläst"
    assert pl.comparison_source("budget_statistical", table, 2025, 8, 8) == "statistisk volymprognos aug 2025"
    assert pl.comparison_source("budget_actual", table, 2025, 8, 8) == "utfall och volymer jan–aug 2025"


def test_walk_2026_12_06_a_bridge_bar_says_what_happened_in_words(norrtalje_volumes):
    """The placement slide's bars read "Barn och unga, dygn: mix": a word the nämnd does not use. Each bar says
    what happened, in the direction of its sign (negative = more cost)."""
    result = pl.decompose(pl.comparison_frame(norrtalje_volumes, "budget_forecast"))
    steps = pl.bridge_steps(result)
    assert steps and not any(name.endswith((": mix", ": volym", ": pris")) for name, _ in steps)
    for name, value in steps:
        words = name.rsplit(": ", 1)[1]
        assert words in {"högre à-pris", "dyrare placeringsformer", "större volym"} if value < 0 else \
            words in {"lägre à-pris", "billigare placeringsformer", "mindre volym"}


def test_walk_2026_12_07_a_quoted_version_name_is_kept_whole_on_a_wrapped_label():
    """The scenario chart's first bar read 'Låst version "Delårsrapport' over '2 2025"': a quoted name that fits on
    a line stays whole, a longer one still wraps, and the words outside it wrap as before."""
    from ui.charts import _wrapped

    assert _wrapped('Låst version "Delårsrapport 2 2025"') == 'Låst version<br>"Delårsrapport\u00a02\u00a02025"'
    assert _wrapped('Låst version "En mycket lång versionsrubrik som inte ryms"').count("<br>") == 2
    assert _wrapped("Institutionsvård barn och unga") == "Institutionsvård barn och<br>unga"


def test_walk_2026_12_07_the_controllers_forecast_says_it_is_older_than_the_volumes():
    """September's volumes were imported and Placeringar, opening on the controllers' August forecast, showed the
    same figures as before without a word. Over that comparison the page says the forecast's month, that it does
    not count with the later volumes, and which comparisons do."""
    volumes = pd.DataFrame([{"year": 2025, "month": m, "category": "HVB", "care_days": 100.0, "cost_kr": 300_000.0}
                            for m in range(1, 10)])
    budgets = pd.DataFrame([{"year": 2025, "category": "HVB", "care_days": 1200.0, "unit_price_kr": 3000.0}])
    categories = pd.DataFrame([{"name": "HVB", "client_group": "barn och unga", "unit": "dygn", "sort_order": 1}])
    table = pl.volume_tables(volumes, budgets, pd.DataFrame(), categories, 2025, 9)
    assert pl.forecast_before_volumes(table, 2025, 8, "budget_forecast") == (
        "Controllernas volymprognos är gjord per aug 2025 och räknar inte med volymerna till och med sep 2025: den "
        "ändras när en ny volymprognos läses in på sidan Data. Budget → statistisk prognos och Periodiserad budget "
        "→ utfall jan–sep 2025 räknar med de senaste volymerna.")
    assert pl.forecast_before_volumes(table, 2025, 9, "budget_forecast") == ""  # made with September's
    assert pl.forecast_before_volumes(table, 2025, 8, "budget_statistical") == ""
    assert pl.forecast_before_volumes(table, 2025, None, "budget_forecast") == ""
