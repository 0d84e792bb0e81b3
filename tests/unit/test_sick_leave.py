"""Sick leave from hours, never averaged percentages; small groups suppressed with a complement (issue 6)."""

import numpy as np
import pandas as pd
import pytest

from domain import sick_leave as sl


def row(year=2024, month=1, unit="E1", gender="Kvinna", age="30-49 år", occupation="Socialsekreterare",
        short=0.0, middle=0.0, long=0.0, scheduled=1000.0, employees=10):
    return {"year": year, "month": month, "unit": unit, "gender": gender, "age_group": age, "occupation": occupation,
            "sick_hours_day1_14": short, "sick_hours_day15_59": middle, "sick_hours_day60": long,
            "scheduled_hours": scheduled, "employees": employees}


def test_rates_are_hour_weighted_not_averaged():
    # A small group at 20 % and a large group at 2 %: the average of percentages (11 %) is wrong.
    frame = pd.DataFrame([row(gender="Kvinna", short=200, scheduled=1000, employees=6),
                          row(gender="Man", short=180, scheduled=9000, employees=50)])
    assert sl.period_rate(frame)["rate"] == pytest.approx(380 / 10000)
    assert sl.monthly(frame)["rate"].iloc[0] == pytest.approx(0.038)


def test_length_split_adds_up_like_alingsas():
    # Alingsås jan–jul 2024: 2,3 + 0,6 + 3,7 = 6,6 % of scheduled time.
    frame = pd.DataFrame([row(short=23, middle=6, long=37, scheduled=1000)])
    rate = sl.period_rate(frame)
    parts = [rate[c] for c in sl.LENGTH_COLUMNS]
    assert [round(p * 100, 1) for p in parts] == [2.3, 0.6, 3.7]
    assert sum(parts) == pytest.approx(rate["rate"]) and round(rate["rate"] * 100, 1) == 6.6
    assert rate["long_term_share"] == pytest.approx(37 / 66)


def test_rolling_12_months_weights_by_hours():
    months = pd.DataFrame([row(month=m, year=2024 + (m - 1) // 12, short=10 * m, scheduled=100 * m)
                           for m in range(1, 14)])
    months["month"] = [(m - 1) % 12 + 1 for m in range(1, 14)]
    rolled = sl.rolling_12(sl.monthly(months))
    assert np.isnan(rolled.iloc[10])
    assert rolled.iloc[11] == pytest.approx(sum(10 * m for m in range(1, 13)) / sum(100 * m for m in range(1, 13)))


def test_small_group_is_suppressed_with_a_complementary_cell():
    frame = pd.DataFrame([row(age="-29 år", short=40, employees=2),       # too small
                          row(age="30-49 år", short=50, employees=12),
                          row(age="50- år", short=30, scheduled=800, employees=7)])
    result = sl.breakdown(frame, "age_group", minimum=5)
    table = result.table.set_index("group")
    assert table.loc["–29 år", "suppressed"] and np.isnan(table.loc["–29 år", "rate"])
    # The smallest remaining group is hidden too: otherwise total − shown groups = the small group.
    assert table.loc["50– år", "suppressed"] and table.loc["50– år", "reason"] == "skyddar en annan prickad grupp"
    assert np.isnan(table.loc["50– år", "sick_hours"])
    assert not table.loc["30–49 år", "suppressed"]
    shown_hours = table["sick_hours"].sum()
    assert result.total["rate"] == pytest.approx(120 / 2800)
    # What a reader can subtract: total hours − shown hours mixes two groups, never one.
    assert (120 - shown_hours) == pytest.approx(40 + 30)


def test_group_must_be_large_enough_every_month_and_threshold_never_below_three():
    frame = pd.DataFrame([row(month=1, gender="Man", employees=6), row(month=2, gender="Man", employees=4),
                          row(month=1, gender="Kvinna", employees=20), row(month=2, gender="Kvinna", employees=20),
                          row(month=1, gender="Annat", employees=9), row(month=2, gender="Annat", employees=9)])
    table = sl.breakdown(frame, "gender", minimum=5).table.set_index("group")
    assert table.loc["Man", "suppressed"]
    assert sl.min_group_size(1) == 3 and sl.min_group_size(None) == 5
    two = pd.DataFrame([row(gender="Man", employees=3), row(gender="Kvinna", employees=30)])
    assert not sl.breakdown(two, "gender", minimum=2).table.set_index("group").loc["Man", "suppressed"]


def test_every_month_of_a_trend_is_suppressed_too():
    frame = pd.DataFrame([row(month=m, unit=u, employees=e) for m in (1, 2) for u, e in
                          (("Liten", 3 if m == 2 else 8), ("Stor", 20), ("Mellan", 9))])
    monthly = sl.suppressed_monthly(frame, "unit", minimum=5).set_index(["month", "group"])
    assert not monthly.loc[(1, "Liten"), "suppressed"]
    assert monthly.loc[(2, "Liten"), "suppressed"] and monthly.loc[(2, "Mellan"), "suppressed"]


def test_cost_and_turnover():
    assert sl.cost_estimate(1000, 450) == 450_000
    with pytest.raises(ValueError):
        sl.cost_estimate(10, -1)
    frame = pd.DataFrame([{"year": 2024, "month": m, "unit": "E", "occupation": "Socialsekreterare",
                           "employees": 100, "leavers_external": 1 if m % 2 else 0, "leavers_internal": 0}
                          for m in range(1, 13)])
    result = sl.turnover(frame, "occupation")
    assert result["turnover_external"].iloc[-1] == pytest.approx(6 / 100)
    assert np.isnan(result["turnover_external"].iloc[10])


def test_trend_sentence():
    index = pd.period_range("2023-01", periods=24, freq="M")
    falling = pd.Series(np.linspace(0.09, 0.06, 24), index=index)
    assert "minskat från 7,6\u00a0% till 6,0\u00a0%" in sl.trend_sentence(falling)
    assert "för kort historik" in sl.trend_sentence(falling.iloc[:10])


def test_walkthrough_2026_12_06_the_trend_change_is_the_difference_of_the_figures_written():
    """"från 8,5 % till 8,8 % (+0,4 procentenheter)": 8,46 → 8,84 is 0,38 points, but the reader subtracts the
    written figures. The change is said as their difference."""
    index = pd.period_range("2023-01", periods=24, freq="M")
    rising = pd.Series(np.r_[np.full(11, 0.08), 0.0846, np.full(11, 0.085), 0.0884], index=index)
    assert sl.trend_sentence(rising).endswith(
        "ökat från 8,5\u00a0% till 8,8\u00a0% de senaste tolv månaderna (+0,3 procentenheter).")


def test_reference_level_input():
    assert sl.parse_reference_level("4,4") == 4.4
    assert sl.parse_reference_level(" 4,4 % ") == 4.4
    assert sl.parse_reference_level("") is None
    assert sl.parse_reference_level("fyra") is None and sl.parse_reference_level("140") is None


def test_two_small_groups_together_under_the_threshold_are_not_left_alone():
    """Regression for issue 17, finding 5: groups of 1 and 2 employees were both hidden but nothing else,
    so total − shown gave the sick leave of those 3 people."""
    frame = pd.DataFrame([row(unit="Liten", short=90, scheduled=160, employees=1),
                          row(unit="Mindre", short=10, scheduled=320, employees=2),
                          row(unit="Mellan", short=30, scheduled=1000, employees=6),
                          row(unit="Stor", short=50, scheduled=4000, employees=25)])
    result = sl.breakdown(frame, "unit", minimum=5)
    table = result.table.set_index("group")
    assert list(table["suppressed"]) == [True, True, True, False]  # Liten, Mellan, Mindre; Stor shown
    assert table.loc["Mellan", "reason"] == "skyddar en annan prickad grupp"
    hidden = table[table["suppressed"]]
    assert len(hidden) >= 2 and hidden["employees"].sum() >= 5
    shown = sl.shown_table(result)
    assert list(shown.loc[shown["Enhet"] == "Mellan", "Sjukfrånvaro"]) == [sl.SUPPRESSED]


def test_a_total_under_the_threshold_is_not_shown():
    frame = pd.DataFrame([row(unit="A", employees=2), row(unit="B", employees=2)])
    result = sl.breakdown(frame, "unit", minimum=5)
    assert result.total["suppressed"] and result.table["suppressed"].all()
    assert "Hela nämnden" not in sl.suppression_note(result, 5)
    assert sl.too_small(frame, minimum=5)
    assert not sl.too_small(pd.DataFrame([row(unit="A", employees=5)]), minimum=5)


def test_walk_2026_12_06_each_group_beside_the_same_months_a_year_earlier():
    """Grupper showed this year's rate per group only: the page asks "för vilka", and which group drove the fall
    could not be seen. Each group has last year's rate over the same months and the change in percentage points
    between the two rates as shown; a group hidden in either year shows no change (it would give the hidden
    rate back), and a group hidden last year says so."""
    now = pd.DataFrame([row(year=2025, gender="Kvinna", short=62, scheduled=1000, employees=20),
                        row(year=2025, gender="Man", short=45, scheduled=1000, employees=12),
                        row(year=2025, gender="Annat", short=9, scheduled=300, employees=8)])
    then = pd.DataFrame([row(year=2024, gender="Kvinna", short=84, scheduled=1000, employees=20),
                         row(year=2024, gender="Man", short=40, scheduled=1000, employees=12),
                         row(year=2024, gender="Annat", short=9, scheduled=300, employees=2)])
    result = sl.breakdown(now, "gender", minimum=5, before=then)
    assert result.compared
    shown = sl.shown_table(result).set_index("Kön")
    assert shown.loc["Kvinna", ["Sjukfrånvaro", "Samma period i fjol", "Förändring, procentenheter"]].tolist() == [
        "6,2\u00a0%", "8,4\u00a0%", "\u22122,2"]
    # Annat had two employees last year: that year it is hidden, with Man to protect it, and neither shows a change.
    for hidden in ("Annat", "Man"):
        assert shown.loc[hidden, ["Samma period i fjol", "Förändring, procentenheter"]].tolist() == [sl.SUPPRESSED,
                                                                                                   "–"]
    assert shown.loc["Man", "Sjukfrånvaro"] == "4,5\u00a0%"
    # A group hidden this year shows no change either.
    small = sl.shown_table(sl.breakdown(then, "gender", minimum=5, before=now)).set_index("Kön")
    assert small.loc["Annat", ["Sjukfrånvaro", "Förändring, procentenheter"]].tolist() == [sl.SUPPRESSED] * 2
    assert small.loc["Kvinna", "Förändring, procentenheter"] == "+2,2"
    # Without last year, the table is as before.
    assert "Samma period i fjol" not in sl.shown_table(sl.breakdown(now, "gender", minimum=5)).columns


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GROUP = st.tuples(st.integers(1, 14), st.floats(0, 500, allow_nan=False), st.floats(1, 5000, allow_nan=False),
                  st.integers(0, 3))


@given(groups=st.lists(GROUP, min_size=1, max_size=9), minimum=st.integers(3, 8), months=st.integers(1, 3))
def test_no_group_under_the_threshold_can_be_recomputed_from_what_is_shown(groups, minimum, months):
    """Issue 17, property: whatever the groups' sizes and hours, a reader who knows the total and every
    shown group exactly (page and exported papers alike) can derive only the combined figure of the
    hidden groups, and that figure always covers at least two groups and at least ``minimum`` employees."""
    from domain.tables import texts

    frame = pd.DataFrame([row(month=m, unit=f"Enhet {i}", short=hours / months, scheduled=scheduled / months,
                              employees=size + (wobble if m == 2 else 0))
                          for i, (size, hours, scheduled, wobble) in enumerate(groups) for m in range(1, months + 1)])
    result = sl.breakdown(frame, "unit", minimum=minimum)
    table = result.table.set_index("group")
    small = table.index[table["employees"] < minimum]
    hidden = table[table["suppressed"]]
    shown_page = sl.shown_table(result).set_index("Enhet")
    exported = texts(sl.breakdowns_table([result])).set_index("Grupp")  # as the papers print it
    for group in table.index:  # what the page and the papers show agrees with the rule, group by group
        is_hidden = bool(table.loc[group, "suppressed"])
        assert (shown_page.loc[group, "Sjukfrånvaro"] == sl.SUPPRESSED) == is_hidden
        assert all(exported.loc[group, label] == sl.SUPPRESSED
                   for label in ["Sjukfrånvaro", *sl.LENGTH_LABELS.values()]) == is_hidden
        assert (exported.loc[group, "Anställda, minst"] == "–") == is_hidden
        assert np.isnan(table.loc[group, "sick_hours"]) == is_hidden
    assert set(small) <= set(hidden.index)  # primary suppression
    if result.total["suppressed"]:
        assert "Hela nämnden" not in sl.suppression_note(result, minimum)
    elif len(hidden):
        # total − shown groups = the hidden groups together: never one group, never fewer than the threshold.
        total_hours = float(frame[list(sl.LENGTH_COLUMNS)].sum().sum())
        derived = total_hours - float(table["sick_hours"].sum())
        truth = float(frame[frame["unit"].isin(hidden.index)][list(sl.LENGTH_COLUMNS)].sum().sum())
        assert derived == pytest.approx(truth, abs=1e-6)
        assert len(hidden) >= 2 and hidden["employees"].sum() >= minimum


@given(now=st.lists(GROUP, min_size=1, max_size=7), then=st.lists(GROUP, min_size=1, max_size=7),
       minimum=st.integers(3, 8))
def test_last_year_beside_this_year_gives_no_hidden_rate_back(now, then, minimum):
    """Issue 17, property over the two years Grupper shows (walk 2026-12-06): last year's column is suppressed
    exactly as last year's own breakdown would be, so last year's total less its shown groups covers at least two
    groups and ``minimum`` employees; a change stands only where both years' rates are shown (a change beside a
    hidden rate would give it back); page and papers agree cell by cell."""
    from domain.tables import texts

    def frame(groups, year):
        return pd.DataFrame([row(year=year, unit=f"Enhet {i}", short=hours, scheduled=scheduled, employees=size)
                             for i, (size, hours, scheduled, _) in enumerate(groups)])

    result = sl.breakdown(frame(now, 2025), "unit", minimum=minimum, before=frame(then, 2024))
    last_year = sl.breakdown(frame(then, 2024), "unit", minimum=minimum)
    alone, alone_page = last_year.table.set_index("group"), sl.shown_table(last_year).set_index("Enhet")
    page = sl.shown_table(result).set_index("Enhet")
    papers = texts(sl.breakdowns_table([result])).set_index("Grupp")
    for group in page.index:
        before, change = page.loc[group, "Samma period i fjol"], page.loc[group, "Förändring, procentenheter"]
        assert (papers.loc[group, "Samma period i fjol"], papers.loc[group, "Förändring, procentenheter"]) == (
            before, change)
        hidden_then = group in alone.index and bool(alone.loc[group, "suppressed"])
        assert (before == sl.SUPPRESSED) == hidden_then
        if group in alone.index and not hidden_then:
            assert before == alone_page.loc[group, "Sjukfrånvaro"]
        both = not hidden_then and group in alone.index and page.loc[group, "Sjukfrånvaro"] != sl.SUPPRESSED
        assert (change not in (sl.SUPPRESSED, "–")) == both
    hidden = alone[alone["suppressed"]]
    if len(hidden) and not (alone["employees"].sum() < minimum):
        assert len(hidden) >= 2 and hidden["employees"].sum() >= minimum


def test_age_groups_are_shown_with_a_dash_youngest_first():
    """Issue 18: "-29 år" and "30-49 år" from a file are shown "–29 år" and "30–49 år"; both spellings are one group."""
    frame = pd.DataFrame([row(age="50- år", employees=9), row(age="30-49 år", employees=12),
                          row(age="30–49 år", month=2, employees=12), row(age="-29 år", employees=8)])
    groups = list(sl.breakdown(frame, "age_group", minimum=5).table["group"])
    assert groups == ["–29 år", "30–49 år", "50– år"]
    assert list(sl.breakdown(frame, "unit", minimum=5).table["group"]) == ["E1"]


def _turnover_rows(groups: dict[str, tuple[int, int]], months: int = 14) -> pd.DataFrame:
    """Occupation → (employees, external leavers every third month), ``months`` months from January 2024."""
    periods = pd.period_range("2024-01", periods=months, freq="M")
    return pd.DataFrame([{"year": p.year, "month": p.month, "unit": name, "occupation": name, "employees": size,
                          "leavers_external": leavers if p.month % 3 == 0 else 0, "leavers_internal": 0}
                         for name, (size, leavers) in groups.items() for p in periods])


def test_turnover_of_a_small_group_is_suppressed_with_a_complement():
    """A group under the threshold (three familjerättssekreterare) was plotted on Personalomsättning although
    Grupper hides it: its turnover is now hidden, and so is the next smallest group's, so that the nämnd's
    total less the shown groups gives two groups together, never the small one."""
    frame = _turnover_rows({"Socialsekreterare": (40, 2), "Enhetschef": (6, 1), "Familjerättssekreterare": (3, 1)})
    result = sl.turnover(frame, "occupation", minimum=5)
    last = result[(result["year"] == 2025) & (result["month"] == 2)].set_index("occupation")
    assert last.loc["Familjerättssekreterare", "suppressed"] and np.isnan(last.loc["Familjerättssekreterare",
                                                                                  "turnover_external"])
    assert last.loc["Enhetschef", "suppressed"] and np.isnan(last.loc["Enhetschef", "turnover_external"])
    assert not last.loc["Socialsekreterare", "suppressed"]
    assert last.loc["Socialsekreterare", "turnover_external"] == pytest.approx(8 / 40)
    total = sl.turnover(frame).iloc[-1]
    assert total["turnover_external"] == pytest.approx((8 + 4 + 4) / 49)  # the total is the nämnd's, untouched
    note = sl.turnover_note(result, 5)
    assert "färre än 5 anställda" in note and "Enhetschef, Familjerättssekreterare" in note


def test_walk_2026_12_07_a_group_small_in_the_sick_leave_file_is_prickad_in_the_turnover_too():
    """Third 2026-12-07 walk (a data protection officer): Familjerättssekreterare were five in the turnover file
    and one to four in the sick-leave file; Grupper hid them, and Personalomsättning's line showed the month one of
    them left. The smaller headcount of the two files counts for the rule, and the caption says so."""
    frame = _turnover_rows({"Socialsekreterare": (40, 2), "Enhetschef": (6, 1), "Familjerättssekreterare": (5, 1)})
    alone = sl.turnover(frame, "occupation", minimum=5)
    last = alone.query("year == 2025 and month == 2").set_index("occupation")
    assert not last["suppressed"].any()
    sick = frame[["year", "month", "occupation"]].assign(employees=[
        (1 if (r.year, r.month) == (2024, 11) else 5) if r.occupation == "Familjerättssekreterare" else 100
        for r in frame.itertuples()])
    ruled = sl.turnover(frame, "occupation", minimum=5, counted=sick)
    last = ruled.query("year == 2025 and month == 2").set_index("occupation")
    assert bool(last.loc["Familjerättssekreterare", "suppressed"]) and bool(last.loc["Enhetschef", "suppressed"])
    assert last.loc["Socialsekreterare", "turnover_external"] == pytest.approx(8 / 40)  # the rate is the file's
    # Before the small month and twelve months after it, the group is shown as before.
    shown = ruled.query("year == 2024 and month == 10").set_index("occupation")
    assert not shown["suppressed"].any()
    assert "det minsta av personalomsättningsfilens och sjukfrånvarofilens" in sl.turnover_note(ruled, 5)


def test_a_new_small_group_without_a_twelve_month_figure_is_protected_too():
    """A small group with under twelve months of history has no figure of its own, but the total holds its
    leavers: it counts as suppressed, and a complement is hidden with it."""
    frame = pd.concat([_turnover_rows({"Socialsekreterare": (40, 2), "Enhetschef": (6, 1)}),
                       _turnover_rows({"Ny": (2, 1)}, months=14).query("year == 2025 or month >= 8")])
    last = sl.turnover(frame, "occupation", minimum=5).query("year == 2025 and month == 2").set_index("occupation")
    assert bool(last.loc["Ny", "suppressed"]) and bool(last.loc["Enhetschef", "suppressed"])
    assert not last.loc["Socialsekreterare", "suppressed"]


@given(groups=st.lists(st.tuples(st.integers(1, 30), st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=7),
       minimum=st.integers(3, 8))
def test_no_small_group_s_turnover_can_be_recomputed_from_what_is_shown(groups, minimum):
    """Issue 17 applied to Personalomsättning, property: in every month, the total's leavers less the shown
    groups' leavers are those of at least two groups with together at least ``minimum`` employees."""
    frame = pd.concat([_turnover_rows({f"Grupp {i}": (size, leavers)}).iloc[start:]
                       for i, (size, leavers, start) in enumerate(groups)])
    result = sl.turnover(frame, "occupation", minimum=minimum)
    raw = sl.turnover(frame, "occupation")
    total = sl.turnover(frame, minimum=minimum).set_index(["year", "month"])
    for (year, month), shown in result.groupby(["year", "month"]):
        if total.loc[(year, month), "suppressed"]:  # the nämnd itself is under the threshold: nothing to subtract
            assert np.isnan(total.loc[(year, month), "turnover_external"])
            continue
        truth = raw[(raw["year"] == year) & (raw["month"] == month)].set_index("occupation")
        shown = shown.set_index("occupation")
        visible = shown["turnover_external"].notna()
        assert (truth.loc[visible.index[visible], "window_employees"] >= minimum).all()
        unseen = truth.loc[visible.index[~visible]]
        if (unseen["window_employees"] < minimum).any():
            assert len(unseen) >= 2 and unseen["window_employees"].sum() >= minimum


def test_headline_and_cost_caption_write_every_number_in_swedish():
    """Sjukfrånvaro's sentences: the hourly cost was written as typed ("1250 kr"), not as the interface writes it."""
    assert sl.headline("jan–aug 2025", 2025, 0.0612, 0.0654, "Trend.") == (
        "Jan–aug 2025: 6,1\u00a0% av ordinarie arbetstid (samma period 2024: 6,5\u00a0%). Trend.")
    assert sl.cost_caption("jan–aug 2025", 12_345.4, 1250) == (
        "Dag 1–14 + dag 15–59 + dag 60– = total sjukfrånvaro. Sjukfrånvaron jan–aug 2025 motsvarar "
        "12\u00a0345\u00a0timmar, uppskattningsvis 15\u00a0432\u00a0tkr med 1\u00a0250\u00a0kr per timme.")


def test_the_months_shown_are_those_booked_not_the_month_chosen():
    """2026-12-05 walkthrough: with September's utfall in and the sick leave to August, the page said
    "Jan–sep 2025" of the hours of jan–aug, beside jan–sep of the year before."""
    rows = pd.DataFrame([row(year=y, month=m, short=100.0 * m if y == 2025 else 50.0, employees=10)
                         for y in (2024, 2025) for m in range(1, 13) if (y, m) <= (2025, 8)])
    empty = rows.iloc[:0]
    shown = sl.view(rows, empty, empty, 2025, 9, minimum=5)
    assert shown.through_month == 8
    assert shown.before["rate"] == pytest.approx(8 * 50 / 8000)  # jan–aug 2024, not jan–sep
    assert sl.behind_sentence(2025, 9, shown.through_month) == (
        "Sjukfrånvaron är inläst t.o.m. aug 2025: siffrorna gäller jan–aug 2025 och samma månader 2024, inte "
        "september.")
    assert sl.view(rows, empty, empty, 2025, 8, minimum=5).through_month == 8
    assert sl.behind_sentence(2025, 8, 8) == ""
