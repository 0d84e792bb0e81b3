"""Jämförelse: our Kolada values against the group's median, and this year's estimate on our own books,
with known answers (issue 21)."""

import dataclasses
import math

import pandas as pd
import pytest

from domain import comparison as c
from domain.tables import texts

OWN, GROUP = "0188", ("0114", "0117", "0120", "0125")


def frame(rows: list[tuple[str, str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kpi", "municipality", "year", "value"]).assign(name="")


VALUES = frame([
    ("N31001", OWN, 2023, 1500.0), ("N31001", OWN, 2024, 1230.0),
    ("N31001", "0114", 2024, 1400.0), ("N31001", "0117", 2024, 1500.0), ("N31001", "0120", 2024, 1600.0),
    ("N31001", "0125", 2024, 1700.0), ("N31001", "0000", 2024, 1580.0),
    ("N31001", "0114", 2023, 1300.0),
    ("N31807", OWN, 2024, 4.0), ("N31807", "0114", 2024, 3.0), ("N31807", "0117", 2024, 3.4),
    ("N31807", "0120", 2024, None), ("N31807", "0125", 2024, 3.8),
    ("N30005", "0114", 2024, 4000.0), ("N30005", "0117", 2024, 4500.0), ("N30005", "0120", 2024, 5500.0),
    ("N30005", "0125", 2024, 6000.0), ("N30005", OWN, 2024, 4900.0),
    ("N01951", OWN, 2023, 39_000.0), ("N01951", OWN, 2024, 40_000.0),
])


def test_issue_21_our_cost_against_the_groups_median_with_a_known_answer():
    found = c.compare(VALUES, OWN, GROUP, c.KPI_BY_ID["N31001"])
    assert (found.year, found.own, found.median, found.low, found.high, found.riket) == (
        2024, 1230.0, 1550.0, 1400.0, 1700.0, 1580.0)
    assert found.difference == pytest.approx(1230 / 1550 - 1)  # −20,6 %
    assert found.rank == 1 and found.members == 4 and found.favourable is True
    assert c.sentence(found) == ("Kostnaden för ekonomiskt bistånd per invånare var 2024 21\u00a0% lägre än i "
                                 "jämförelsegruppen (median 1\u00a0550\u00a0kr).")


def test_issue_21_a_share_is_compared_in_percentage_points_and_missing_values_are_left_out():
    found = c.compare(VALUES, OWN, GROUP, c.KPI_BY_ID["N31807"])
    assert found.members == 3 and found.median == 3.4 and found.difference == pytest.approx(0.6)
    assert found.favourable is False  # more inhabitants with bistånd is not good for the budget
    assert c.difference_text(found) == "0,6 procentenheter högre"
    assert c.sentence(found).startswith("Andelen invånare med ekonomiskt bistånd låg 2024 0,6 procentenheter högre")


def test_issue_21_the_table_is_one_description_with_swedish_cells():
    found = c.comparisons(VALUES, OWN, GROUP)
    costs, shares = c.comparison_tables(found, "Norrtälje")
    shown = texts(costs).set_index("Nyckeltal")
    assert shown.loc["Ekonomiskt bistånd", "Norrtälje"] == "1\u00a0230"
    assert shown.loc["Ekonomiskt bistånd", "Mot medianen"] == "21\u00a0% lägre"
    assert shown.loc["Ekonomiskt bistånd", "Plats (1\u00a0=\u00a0lägst)"] == "1 av 5"
    assert texts(shares).set_index("Nyckeltal").loc["Invånare med ekonomiskt bistånd", "Norrtälje"] == "4,0\u00a0%"


def test_issue_21_this_years_estimate_places_our_forecast_among_last_years_group():
    """200 mnkr on 40 000 inhabitants is 5 000 kr each: among 4 000, 4 500, 5 500 and 6 000 the third lowest,
    and in line with the group's median (5 000)."""
    estimate = c.year_estimate(200_000_000, 2025, VALUES, OWN, GROUP)
    assert estimate.per_inhabitant == 5000.0 and estimate.population_year == 2024
    assert estimate.median == 5000.0 and estimate.rank == 3 and estimate.compared_year == 2024
    assert estimate.own_published == 4900.0
    # Like with like first: the estimate against our own 2024, and 2024 against the group's 2024 (2026-12-06
    # walk: a year's own cost growth was read as a widening gap to the group).
    assert c.estimate_sentence(estimate) == (
        "Uppskattning för 2025: med årets helårsprognos blir nettokostnaden 5\u00a0000\u00a0kr per invånare, "
        "2\u00a0% mer än 2024 (4\u00a0900\u00a0kr). 2024 låg nettokostnaden 2\u00a0% lägre än jämförelsegruppens "
        "median (5\u00a0000\u00a0kr). Mot gruppens värden 2024, som ännu inte har 2025 års kostnadsökning, ligger "
        "uppskattningen i nivå med medianen, plats 3 av 5 räknat från den lägsta.")
    # Without our own value of that year, the placing alone, as before.
    alone = dataclasses.replace(estimate, own_published=None)
    assert c.estimate_sentence(alone) == (
        "Uppskattning för 2025: med årets helårsprognos blir nettokostnaden 5\u00a0000\u00a0kr per invånare, i nivå "
        "med jämförelsegruppens median 2024 (5\u00a0000\u00a0kr); plats 3 av 5 räknat från den lägsta.")
    assert c.year_estimate(200_000_000, 2025, VALUES[VALUES["kpi"] != "N01951"], OWN, GROUP) is None


def test_issue_21_the_scope_adds_up_the_forecast_s_own_lines():
    """The estimate's net cost is the sum of the chosen verksamheter's lines of the period's one forecast (the
    rows Prognos shows), not the total shared out by other figures; the parts add up to the whole. Without a
    forecast, the verksamheternas own forecasts are added up the same way."""
    from domain.forecast_view import OfficialForecast

    lines = (("Ekonomiskt bistånd", -180_000_000.0), ("Familjerätt", -20_000_000.0), ("Politik", -100_000_000.0))
    official = OfficialForecast(-300_000_000.0, "Preliminär statistisk prognos aug 2025", False, -300_000_000.0,
                                lines=lines)
    managers = {"Ekonomiskt bistånd": -75_000_000.0, "Familjerätt": -25_000_000.0, "Politik": math.nan}
    assert c.scoped_net_cost(official, managers, None) == 300_000_000.0
    part = c.scoped_net_cost(official, managers, ("Ekonomiskt bistånd", "Familjerätt"))
    rest = c.scoped_net_cost(official, managers, ("Politik",))
    assert part == 200_000_000.0 and part + rest == 300_000_000.0
    assert c.scoped_net_cost(None, managers, ("Ekonomiskt bistånd",)) == 75_000_000.0
    assert c.scoped_net_cost(None, managers, None) == 100_000_000.0


def test_issue_21_the_chart_places_each_cost_against_the_median():
    rows = c.chart_rows(c.comparisons(VALUES, OWN, GROUP))
    assert [r.label for r in rows] == ["Individ- och familjeomsorg, nettokostnad", "Ekonomiskt bistånd"]
    row = rows[1]
    assert (round(row.low, 4), round(row.high, 4), round(row.own, 4)) == (round(1400 / 1550 - 1, 4),
                                                                          round(1700 / 1550 - 1, 4),
                                                                          round(1230 / 1550 - 1, 4))
    assert row.favourable is True and row.own_text == "1\u00a0230\u00a0kr"


def test_issue_21_every_kpi_is_named_once_with_a_kolada_id():
    ids = [k.id for k in c.KPIS]
    assert len(ids) == len(set(ids)) and all(len(i) == 6 and i[0] in "NU" and i[1:].isdigit() for i in ids)
    assert c.POPULATION in c.FETCHED and c.ESTIMATE_KPI in c.KPIS


def test_issue_21_a_kpi_that_kolada_has_renamed_is_pointed_out():
    described = {"N31001": {"title": "Kostnad ekonomiskt  bistånd, KR/INV", "published": "2025-04-29"},
                 "N30101": {"title": "Kostnad äldreomsorg, kr/inv", "published": "2025-04-29"}}
    assert [line.split(":")[0] for line in c.title_changes(described)] == ["N30101"]
    fetched = pd.Series(pd.to_datetime(["2026-12-01 10:00"], utc=True))
    line = c.source_line([c.KPI_BY_ID["N31001"]], fetched, pd.Series(["Kolada API 1 dec 2026 11:00.json"]), described)
    assert line == ("Källa: Kolada (RKA), CC BY 4.0; nyckeltal N31001; hämtad 1\u00a0dec\u00a02026 (Koladas API); "
                    "senast publicerad av Kolada 29\u00a0apr\u00a02025.")
    # 2026-12-05 walkthrough: a file's date is the day it was read here; "hämtad" overstated how fresh it was.
    from_file = c.source_line([c.KPI_BY_ID["N31001"]], fetched, pd.Series(["kolada.csv"]))
    assert from_file == "Källa: Kolada (RKA), CC BY 4.0; nyckeltal N31001; inläst 1\u00a0dec\u00a02026 (fil från Kolada)."
    # 2026-12-05 walk of the meeting link: the sample's made-up values were credited to Kolada on the slide, the
    # page and in the papers.
    sample = c.source_line([c.KPI_BY_ID["N31001"]], fetched, pd.Series(["kolada.csv"]), described, sample=True)
    assert sample == ("Källa: exempeldata, påhittade värden i Koladas format (nyckeltal N31001); inlästa "
                      "1\u00a0dec\u00a02026.")


def test_issue_21_a_difference_is_of_the_figures_shown():
    """A median of 0,95 % is shown as 1,0 %: against 1,2 % the difference said is 0,2 procentenheter, and a
    median of 637,5 kr is 638 kr on the page, in the PDF and in the workbook alike."""
    values = frame([("N31816", OWN, 2024, 1.2), ("N31816", "0114", 2024, 0.9), ("N31816", "0117", 2024, 1.0),
                    ("N35001", OWN, 2024, 700.0), ("N35001", "0114", 2024, 637.0), ("N35001", "0117", 2024, 638.0)])
    share = c.compare(values, OWN, ("0114", "0117"), c.KPI_BY_ID["N31816"])
    assert share.median == 1.0 and c.difference_text(share) == "0,2 procentenheter högre"
    cost = c.compare(values, OWN, ("0114", "0117"), c.KPI_BY_ID["N35001"])
    assert cost.median == 638.0
    from domain.tables import workbook_cell
    table = c.comparison_tables([cost], "Vi")[0]
    median_column = next(col for col in table.columns if col.key == "median")
    assert workbook_cell(median_column, table.rows[0]["median"])[0] == 638


def test_issue_21_without_a_choice_the_estimate_takes_the_ifo_area():
    activities = pd.DataFrame({"activity": ["Nämnd", "Ekonomiskt bistånd", "Familjerätt"],
                               "area": ["Politisk verksamhet", "Individ- och familjeomsorg", "INDIVID- OCH FAMILJEOMSORG"]})
    assert c.default_scope(activities) == ("Ekonomiskt bistånd", "Familjerätt")
    assert c.default_scope(activities.assign(area="Socialtjänst")) is None


def test_the_five_years_are_said_in_a_sentence_with_the_first_years_gap():
    """Walkthrough: Fem år had a chart and a table but no sentence saying what they show."""
    kpi = c.KPI_BY_ID["N31001"]
    history = c.trend(VALUES, OWN, GROUP, kpi, years=2)
    nbsp = "\u00a0"
    assert c.trend_sentence(VALUES, OWN, GROUP, kpi, history) == (
        f"Kostnaden för ekonomiskt bistånd per invånare mot gruppens median: 15{nbsp}% högre 2023, "
        f"21{nbsp}% lägre 2024.")
    narrowing = pd.concat([VALUES, frame([("N31001", "0117", 2023, 1100.0), ("N31001", OWN, 2022, 1000.0),
                                          ("N31001", "0114", 2022, 2000.0)])])
    history = c.trend(narrowing, OWN, GROUP, kpi, years=3)
    assert c.trend_sentence(narrowing, OWN, GROUP, kpi, history).endswith(
        f"median: 50{nbsp}% lägre 2022, 21{nbsp}% lägre 2024; skillnaden har minskat.")
    # One year only: that year's difference.
    share = c.KPI_BY_ID["N31807"]
    assert c.trend_sentence(VALUES, OWN, GROUP, share, c.trend(VALUES, OWN, GROUP, share)) == (
        "Andelen invånare med ekonomiskt bistånd mot gruppens median: 0,6 procentenheter högre 2024.")


def test_the_comparison_chart_shows_our_colours_in_the_legend_and_riket_over_our_dot():
    """2026-12-05 walkthrough: the legend's "Vi" was a grey dot beside red and green dots, riket's diamond lay
    hidden under our dot where the two were close, and the scale's figures were light grey."""
    from ui import charts

    rows = c.chart_rows(c.comparisons(VALUES, OWN, GROUP))
    page = charts.comparison_chart(rows)
    legend = {trace.name: trace.marker.color for trace in page.data if trace.showlegend is not False and trace.name}
    assert legend["Vi, lägre än medianen"] == charts.GOOD and legend["Vi, högre än medianen"] == charts.BAD
    order = [trace.name for trace in page.data]
    own = next(n for n, trace in enumerate(page.data) if trace.showlegend is False)
    assert order.index("Riket") > own  # drawn after, so on top
    assert page.layout.xaxis.tickfont.color == charts.AXIS_TEXT == page.layout.xaxis.title.font.color
    slide = charts.comparison_chart(rows, names_only=True)  # a slide keeps one entry: a third legend line
    assert [t.name for t in slide.data if t.name and t.name.startswith("Vi")] == ["Vi (grönt lägre, rött högre)"]


def test_walk_2026_12_06_a_year_level_with_the_median_is_said_to_be_level_with_it():
    """"0,2 procentenheter högre 2020, i nivå 2024" read as a level of its own: "i nivå med den 2024"."""
    share = c.KPI_BY_ID["N31807"]
    values = frame([("N31807", OWN, 2023, 3.2), *((("N31807", m, 2023, 3.0)) for m in GROUP),
                    ("N31807", OWN, 2024, 3.0), *((("N31807", m, 2024, 3.0)) for m in GROUP)])
    assert c.trend_sentence(values, OWN, GROUP, share, c.trend(values, OWN, GROUP, share, years=2)) == (
        "Andelen invånare med ekonomiskt bistånd mot gruppens median: 0,2 procentenheter högre 2023, "
        "i nivå med den 2024.")


def test_walk_2026_12_06_the_comparison_axis_has_a_tick_left_of_every_value():
    """On a phone the slide's scale ran 0 %, 20 %, 40 % with our dot at −15 % left of the first tick."""
    from ui.charts import _whole_ticks

    axis = _whole_ticks([-15.0, 39.0, -5.0, 12.0])
    low, high = axis["range"]
    first_tick = math.ceil(low / axis["dtick"]) * axis["dtick"]
    assert first_tick <= -15.0 and high > 39.0 and (high - low) / axis["dtick"] <= 6
    assert _whole_ticks([]) == {}


def test_walk_2026_12_06_the_slide_leads_with_the_whole_ifo_then_the_largest_parts():
    """The slide said only the three costs farthest from the median (HVB-hem +26 %, ekonomiskt bistånd +24 %,
    familjehem −15 %) while the page led with the whole individ- och familjeomsorg (+6 %). The slide leads with
    the whole too; the IFO's net cost, which the estimate repeats, is not on it."""
    rows = [("N30101", OWN, 2024, 5300.0), ("N33007", OWN, 2024, 1300.0), ("N33008", OWN, 2024, 850.0),
            ("N35001", OWN, 2024, 600.0)]
    group = {"N30101": 5000.0, "N33007": 1000.0, "N33008": 1000.0, "N35001": 590.0}
    rows += [(kpi, town, 2024, value) for kpi, value in group.items() for town in GROUP]
    found = c.comparisons(pd.concat([VALUES, frame(rows)]), OWN, GROUP)
    # Second 2026-12-07 walk: the shares where the kommun stood last of the group were on the page only. The slide
    # names one, beside two costs, so that its sentence keeps to three lines at 1280×720.
    assert [x.kpi.id for x in c.largest(found)] == ["N30101", "N33007", "N31001"]
    assert [x.kpi.id for x in c.largest(found, 3)] == ["N30101", "N33007", "N31001", "N33008"]
    assert c.slide_sentence(found) == (
        "Kostnad per invånare 2024 mot jämförelsegruppens median: individ- och familjeomsorgen som helhet "
        "6\u00a0% högre; störst skillnad för HVB-hem för barn och unga 30\u00a0% högre och ekonomiskt bistånd "
        "21\u00a0% lägre. Sämst i gruppen: invånare med ekonomiskt bistånd 4,0\u00a0%.")
    without = [x for x in found if x.kpi.id != "N31807"]
    assert [x.kpi.id for x in c.largest(without)] == ["N30101", "N33007", "N31001", "N33008"]
    assert c.slide_sentence(without).endswith("och familjehemsvård för barn och unga 15\u00a0% lägre.")
    # A share merely above the median, or last where a higher value is better, is not said.
    assert [x.kpi.id for x in c.worst_in_group(found)] == ["N31807"]
    better = [dataclasses.replace(x, kpi=dataclasses.replace(x.kpi, lower_is_better=False)) for x in found]
    assert c.worst_in_group(better) == []
    assert c.headline(found).endswith(" Sämst i gruppen: invånare med ekonomiskt bistånd 4,0\u00a0%.")  # the page's too
    assert c.worst_said(better) == ""
    # Third 2026-12-07 walk: the page named two shares last in the group, the slide and the papers one; the slide
    # counts the ones it leaves to the page.
    twice = found + [dataclasses.replace(x, kpi=dataclasses.replace(x.kpi, id="N31816", label="Vuxna med långvarigt "
                                                                    "ekonomiskt bistånd"))
                     for x in found if x.kpi.id == "N31807"]
    both = ("Sämst i gruppen: invånare med ekonomiskt bistånd 4,0\u00a0% och vuxna med långvarigt ekonomiskt bistånd "
            "4,0\u00a0%.")
    assert c.worst_said(twice) == both
    # 2026-12-07 socialdirektör walk: "och 1 andel till" on slide 7; one left is said in a word.
    one = "Sämst i gruppen: invånare med ekonomiskt bistånd 4,0\u00a0% och en andel till."
    assert c.worst_said(twice, 1) == one and c.slide_sentence(twice).endswith(" " + one)
    thrice = twice + [dataclasses.replace(x, kpi=dataclasses.replace(x.kpi, id="N31817", label="Unga med ekonomiskt "
                                                                     "bistånd")) for x in found if x.kpi.id == "N31807"]
    assert c.worst_said(thrice, 1) == ("Sämst i gruppen: invånare med ekonomiskt bistånd 4,0\u00a0% och 2 andelar "
                                       "till.")
    parts_only = [x for x in without if x.kpi.id != "N30101"]
    assert c.slide_sentence(parts_only).startswith(
        "Kostnad per invånare 2024 mot jämförelsegruppens median: HVB-hem för barn och unga 30\u00a0% högre, ")
