"""The Prognos page's pure helpers in domain.forecast_view."""

import pandas as pd
import pytest


def test_the_name_offered_for_a_new_version_is_one_that_can_be_saved():
    """Walkthrough: the form offered "Prognos delår 2 2025" again after it was saved, and saving it was refused."""
    from domain.forecast_view import default_version_name

    # 2026-12-05 walkthrough: the name offered at a delår ("Prognos delår 2 2025") differed from the earlier
    # years' versions ("Delårsrapport 2 2024"); they are now named alike.
    assert default_version_name(2025, 8) == "Delårsrapport 2 2025"
    assert default_version_name(2025, 4) == "Delårsrapport 1 2025"
    assert default_version_name(2025, 7, ["Prognos jul 2025"]) == "Prognos jul 2025 (2)"
    assert default_version_name(2025, 8, ["Delårsrapport 2 2025", "Delårsrapport 2 2025 (2)"]) == \
        "Delårsrapport 2 2025 (3)"


def test_the_question_before_a_version_is_locked_names_it_and_its_figure():
    from domain.forecast_view import lock_question

    label = "Den statistiska prognosen: \u2212368\u00a0226\u00a0tkr"
    september = pd.Timestamp("2025-09-10 12:00", tz="UTC")
    assert lock_question("  Delårsrapport 2\n2025 ", label, 2025, 8, (2025, 8), now=september) == (
        'Lås versionen "Delårsrapport 2 2025"? Den statistiska prognosen: \u2212368\u00a0226\u00a0tkr, brytmånad aug '
        "2025. En låst version kan inte ändras eller tas bort; en ny bedömning sparas som en ny version.")
    # 2026-12-06 walk: delår 2 2023 was locked in December 2026 with no word that the year's result was known.
    saved = pd.DataFrame({"id": [4], "name": ["Delår 2 2023"], "year": [2023], "cutoff_month": [8],
                          "created_at": [pd.Timestamp("2026-12-01 10:00")]})
    assert lock_question("Delår 2 2023 (2)", label, 2023, 8, (2025, 8), saved=saved).endswith(
        'ny version. December 2023 är redan bokförd: versionen sparas i efterhand, och i regeln om 5\u00a0% ersätter '
        'den inte "Delår 2 2023", som redan är låst per delår 2.')
    assert lock_question("D", label, 2023, 8, (2025, 8), saved=saved.iloc[:0]).endswith(
        "och den blir den version som regeln om 5\u00a0% bedömer för året.")
    assert lock_question("D", label, 2024, 10, (2024, 12)).endswith("December 2024 är redan bokförd: versionen sparas "
                                                                    "i efterhand.")
    assert "bokförd" not in lock_question("D", label, 2024, 10, (2024, 11), now=september) + \
        lock_question("D", label, 2024, 10, now=pd.Timestamp("2024-11-02", tz="UTC"))


def test_walkthrough_2026_12_06_a_version_locked_after_the_year_is_said_to_stay_out_of_the_rule():
    """A controller's walk, the clock in December 2026 and the sample's data to aug 2025: a second version locked
    for aug 2025 became the helårsprognos, but the 5 % rule kept the first (a version locked after the year never
    takes another's place there), while the form had said it would replace it "i regeln om 5 %", the question
    before locking said nothing of the year being over, and Sparade versioner called the rule's version only
    "ersatt". Each now says what the rule does."""
    from domain.forecast_view import OfficialForecast, lock_notice, lock_question, versions_table

    december = pd.Timestamp("2026-12-06 11:00", tz="UTC")
    first = pd.DataFrame({"id": [1], "name": ["Delårsrapport 2 2025"], "year": [2025], "cutoff_month": [8],
                          "created_at": [pd.Timestamp("2026-12-06 10:11")]})
    locked = OfficialForecast(point=-368_197_000, label="", locked=True, statistical=-368_197_000,
                              name='Låst version "Delårsrapport 2 2025"', version_id=1)
    notice = lock_notice(locked, 2025, 8, now=december)
    assert "ersätter den som helårsprognos på alla sidor och i nämndläget;" in notice
    assert notice.endswith("Året 2025 är slut (i dag är det 6\u00a0dec\u00a02026): i regeln om 5\u00a0% ersätter en "
                           "version som låses nu aldrig den som redan är låst per delår 2.")
    assert "i regeln om 5\u00a0%;" in lock_notice(locked, 2025, 8, now=pd.Timestamp("2025-09-02", tz="UTC"))
    assert lock_question("Delårsrapport 2 2025 (2)", "Verksamheternas prognos", 2025, 8, (2025, 8), saved=first,
                         now=december).endswith(
        'Året 2025 är slut (i dag är det 6\u00a0dec\u00a02026): versionen sparas efter årets slut, och i regeln om '
        '5\u00a0% ersätter den inte '
        '"Delårsrapport 2 2025", som redan är låst per delår 2.')
    both = pd.concat([first, first.assign(id=2, name="Delårsrapport 2 2025 (2)",
                                          created_at=pd.Timestamp("2026-12-06 10:20"))])
    both = both.assign(author="kalle", point_kr=0, content_sha256="", lines=[[], []],
                       managers_lines=[[], []])
    table = versions_table(both)
    assert [r["status"] for r in table.rows] == ["regeln om 5\u00a0% (ersatt som helårsprognos)", "helårsprognos"]
    assert "en version låst efter årets slut ersätter den aldrig där" in table.note


def test_the_lock_notice_says_what_the_five_percent_rule_judges():
    """2026-12-04 walkthrough: Spara version said a locked version enters the 5 % rule, for every month, while
    the rule judges delår 2 (August) only, and in August without a lock the imported verksamheternas prognos."""
    from domain.forecast_view import OfficialForecast, lock_notice

    preliminary = OfficialForecast(point=-368_226_000, label="Preliminär statistisk prognos", locked=False,
                                   statistical=-368_226_000)
    august = lock_notice(preliminary, 2025, 8, interim_imported=True)
    assert "regeln om 5\u00a0% bedömer i dag verksamheternas importerade prognos per delår 2" in august
    assert august.endswith("Den version du låser blir helårsprognos på alla sidor, i nämndläget och i regeln om "
                           "5\u00a0%.")
    assert "i dag" not in lock_notice(preliminary, 2025, 8, interim_imported=False)
    june = lock_notice(preliminary, 2025, 6, interim_imported=True)
    assert "blir helårsprognos på alla sidor och i nämndläget." in june
    assert june.endswith("bara en version låst för augusti 2025 räknas där.") and "i dag" not in june
    locked = OfficialForecast(point=-365_766_000, label='Låst version "Delår 1"', locked=True,
                              statistical=-368_226_000, name='Låst version "Delår 1"', version_id=3)
    april = lock_notice(locked, 2025, 4)
    assert april.startswith('Helårsprognosen för apr 2025 är nu låst version "Delår 1".')
    assert "ersätter den som helårsprognos på alla sidor och i nämndläget;" in april


def test_walkthrough_2026_12_06_slide_one_says_whose_forecast_the_locked_version_is():
    """A walk of the meeting: slide 1 and the papers' first page named the locked version but not whose forecast
    it held, beside "den statistiska" with another figure; the Prognos page alone said it. The sentence names the
    verksamheternas prognos; a statistical version needs no word (the sentence says "den statistiska" itself)."""
    from types import SimpleNamespace

    from domain import meeting
    from domain.forecast_view import OfficialForecast

    board = SimpleNamespace(point=-368_197_000.0, budget=-372_970_000.0, prob_deficit=0.09, prob_within_target=0.995,
                            short_history_share=0.0, prob_within=lambda value: 0.99)
    managers = OfficialForecast(point=-365_766_000.0, label="", locked=True, statistical=-368_197_000.0,
                                name='Låst version "Delårsrapport 2 2025"', basis="Verksamheternas prognos")
    assert meeting.forecast_headline(board, managers).startswith(
        'Helårsprognosen (låst version "Delårsrapport 2 2025", verksamheternas prognos) pekar på ett överskott om '
        "7,2\u00a0mnkr")
    mixed = OfficialForecast(**{**vars(managers), "basis": "Statistisk och verksamheternas"})
    assert '"Delårsrapport 2 2025", statistisk och verksamheternas prognos)' in meeting.forecast_headline(board, mixed)
    statistical = OfficialForecast(**{**vars(managers), "basis": "Statistisk prognos"})
    assert meeting.forecast_headline(board, statistical).startswith(
        'Helårsprognosen (låst version "Delårsrapport 2 2025") pekar på')


def test_walkthrough_2026_12_06_a_slides_footer_names_the_locked_version_without_its_minute():
    """With a version locked, the slides' footer took two lines at 1280×720 ("Låst version "Delårsrapport 2 2025",
    sparad efter årets slut, 6 dec 2026 14:42 · …") and the chart above it lost their height: the footer names
    the version; the papers and Prognos say when it was saved."""
    from types import SimpleNamespace

    from domain.forecast_view import OfficialForecast
    from domain.meeting import MeetingPack

    locked = OfficialForecast(point=-365_766_000.0, label='Låst version "Delårsrapport 2 2025", sparad efter årets '
                              "slut, 6 dec 2026 14:42", locked=True, statistical=-368_197_000.0,
                              name='Låst version "Delårsrapport 2 2025"')
    pack = SimpleNamespace(official=locked, forecast_label=locked.label)
    assert MeetingPack.forecast_name.fget(pack) == 'Låst version "Delårsrapport 2 2025"'
    assert MeetingPack.forecast_name.fget(SimpleNamespace(official=None, forecast_label="Statistisk prognos")) == \
        "Statistisk prognos"


def test_walk_2026_12_06_the_five_percent_bracket_stands_around_the_figure_the_rule_judges():
    """Prognos's net cost chart drew "±5 % kring den statistiska" after a version was locked, though the rule
    judges the locked version: with one, the bracket stands around its year-end and says so."""
    from domain import forecast_view as fv
    from ui import charts

    months = pd.DataFrame({"label": ["jan", "feb"], "cumulative": [-10_000_000.0, -20_000_000.0]})
    fan = pd.DataFrame({"label": ["dec"], "cum_mean": [-120_000_000.0], "cum_p10": [-125_000_000.0],
                        "cum_p90": [-115_000_000.0]})

    def bracket(figure):
        return next(trace for trace in figure.data if trace.name.startswith("±5 %"))

    statistical = bracket(charts.forecast_fan(months, months, fan, point=-120_000_000.0, manual_total=None))
    assert statistical.name == "±5 % kring den statistiska" and statistical.y[0] == pytest.approx(120_000)
    locked = bracket(charts.forecast_fan(months, months, fan, point=-120_000_000.0, manual_total=None,
                                         locked=-110_000_000.0))
    assert locked.name == "±5 % kring låst version" and locked.y[0] == pytest.approx(110_000)
    assert locked.error_y.array[0] == pytest.approx(5_500) and locked.error_y.arrayminus[0] == pytest.approx(5_500)
    assert "kring den låsta versionens helårsprognos" in fv.fan_caption(True)


def test_walk_2026_12_07_the_change_is_compared_with_last_month_beside_the_saved_versions():
    """Varför ändrades prognosen offers the versions saved for an earlier month first (the newest first), then the
    statistical forecast a month earlier, then versions saved for this month or later; in January only versions."""
    from domain import forecast_view as fv

    saved = pd.DataFrame({"id": [3, 5, 7, 9], "name": ["Delår 1", "Juli", "Delår 2", "Oktober"],
                          "cutoff_month": [4, 7, 8, 10]})
    # Third 2026-12-07 walk: a version saved for a later month is not offered (June's link offered August's once
    # it was locked, and compared June with a forecast made two months later).
    assert fv.change_choices(saved, 8) == {5: "Juli", 3: "Delår 1",
                                           fv.LAST_MONTH: "Statistisk prognos efter juli (på dagens bokningar)",
                                           7: "Delår 2"}
    assert fv.same_month(saved, 7, 8) and not fv.same_month(saved, 5, 8) and not fv.same_month(saved, fv.LAST_MONTH, 8)
    assert list(fv.change_choices(saved.iloc[:0], 8)) == [fv.LAST_MONTH]
    assert fv.change_choices(saved.iloc[:0], 1) == {}
    assert fv.compared_label(fv.LAST_MONTH, "x", 8) == "Statistisk prognos efter juli"
    assert fv.compared_said(5, "Juli", 8) == 'versionen "Juli"'


def test_walk_2026_12_07_the_change_in_one_sentence_from_what_to_what_and_its_largest_steps():
    from domain import forecast_view as fv

    nb = "\u00a0"
    budget = -372_970_000.0
    steps = [("Nya utfall, övrigt", 814_000.0), ("Rättade utfall, övrigt", 0.0), ("Omprövad modell", 1_130_000.0),
             ("Placeringar barn och unga, dygn: à-pris", 2_314_000.0), ("Placeringar vuxna: mix", -67_000.0)]
    said = fv.change_sentence("den statistiska prognosen efter juli", budget + 2_968_000, budget + 4_773_000, budget,
                              steps)
    # Third 2026-12-07 walk: the bridge ends in the statistical forecast, and the sentence names it so: beside a
    # locked version of 7,2 mnkr, "Helårsprognosen … till ett överskott om 4,8 mnkr" read as the helårsprognos.
    assert said == (f"Den statistiska prognosen har ändrats med +1,8{nb}mnkr sedan den statistiska prognosen efter "
                    f"juli, från ett överskott om 3,0{nb}mnkr till ett överskott om 4,8{nb}mnkr. Störst: placeringar "
                    f"barn och unga, dygn: à-pris +2,3{nb}mnkr och omprövad modell +1,1{nb}mnkr; placeringarna "
                    f"sammanlagt +2,2{nb}mnkr.")
    # The largest steps are the chart's bars (third 2026-12-07 walk: "Störst: omprövad modell +1,1 och nya utfall,
    # övrigt +0,8" beside bars of +2,3, −1,2 and −1,1; the placements said as one, −0,1, stood for no bar), and
    # the placements' sum follows one of theirs named (2026-12-07 walk: à-pris +2,3 and volym −1,2 alone hid that
    # together they were −0,1 mnkr). A step under a fifth of the largest is not named beside it.
    cancelling = [("Nya utfall, övrigt", 814_000.0), ("Omprövad modell", 1_130_000.0),
                  ("Placeringar barn och unga, dygn: à-pris", 2_314_000.0),
                  ("Placeringar barn och unga, dygn: volym", -1_235_000.0),
                  ("Placeringar barn och unga, dygn: mix", -1_145_000.0)]
    assert fv.change_sentence("x", budget, budget + 1_878_000, budget, cancelling).endswith(
        f"Störst: placeringar barn och unga, dygn: à-pris +2,3{nb}mnkr och placeringar barn och unga, dygn: volym "
        f"−1,2{nb}mnkr; placeringarna sammanlagt −0,1{nb}mnkr.")
    assert fv.change_sentence("x", budget, budget + 1_000_000, budget,
                              [("Nya utfall", 1_100_000.0), ("Omprövad modell", -100_000.0)]).endswith(
        f"Störst: nya utfall +1,1{nb}mnkr.")
    assert fv.change_sentence("x", budget, budget + 1_000_000, budget,
                              [("Nya utfall", 1_100_000.0), ("Placeringar vuxna: mix", -100_000.0)]).endswith(
        f"Störst: nya utfall +1,1{nb}mnkr.")
    # Third 2026-12-07 walk: against a version saved for the same month nothing has changed since; the sentence
    # says how the statistical forecast differs from it ("har ändrats med −2,4 mnkr sedan versionen …" before).
    locked = fv.change_sentence('versionen "Delårsrapport 2 2025"', budget + 7_204_000, budget + 4_773_000, budget,
                                [("Statistisk i stället för verksamheternas", -2_431_000.0)], same=True)
    assert locked == (f'Den statistiska prognosen skiljer sig med −2,4{nb}mnkr från versionen "Delårsrapport 2 2025", '
                      f"som är sparad för samma månad: ett överskott om 4,8{nb}mnkr mot ett överskott om 7,2{nb}mnkr. "
                      f"Störst: statistisk i stället för verksamheternas −2,4{nb}mnkr.")
    assert fv.change_sentence('versionen "D2"', budget + 7_204_000, budget + 7_214_000, budget, [], same=True) == (
        f'Den statistiska prognosen ligger i nivå med versionen "D2", som är sparad för samma månad: ett överskott om '
        f"7,2{nb}mnkr mot ett överskott om 7,2{nb}mnkr.")
    still = fv.change_sentence('versionen "Juli"', budget + 10_000, budget + 30_000, budget, [("Nya utfall", 20_000.0)])
    assert still == ('Den statistiska prognosen är i stort sett oförändrad sedan versionen "Juli": från ett resultat i '
                     "nivå med budget till ett resultat i nivå med budget.")
    unbudgeted = fv.change_sentence("x", -100_000_000, -98_000_000, None, [("Nya utfall", 2_000_000.0)])
    assert unbudgeted == (f"Den statistiska prognosen har ändrats med +2,0{nb}mnkr sedan x, från en nettokostnad om "
                          f"100,0{nb}mnkr till en nettokostnad om 98,0{nb}mnkr. Störst: nya utfall +2,0{nb}mnkr.")


def test_walk_2026_12_07_placements_days_are_summed_per_unit_and_an_unchanged_year_is_not_shown_apart():
    """"Summa 56 918 → 57 449" added the dagar of öppenvård to the dygn of placements; and September against August,
    with no volumes read since, captioned a volume, mix and price over a table of zeros."""
    from domain import forecast_view as fv

    then = pd.DataFrame({"category": ["HVB", "Öppenvård"], "month": [1, 1], "is_actual": [1, 1],
                         "care_days": [10.0, 5.0], "cost_kr": [1_000, 500]})
    now = then.assign(care_days=[12.0, 5.0], cost_kr=[1_300, 500])
    change = fv.placement_change(then, now, {"HVB": "barn", "Öppenvård": "barn"},
                                 {"HVB": "dygn", "Öppenvård": "dagar"})
    rows = {r["category"]: r for r in fv.placement_change_rows_table(change).rows}
    assert (rows["Summa, dygn"]["days_a"], rows["Summa, dygn"]["days_b"]) == (10.0, 12.0)
    assert (rows["Summa, dagar"]["days_a"], rows["Summa, dagar"]["days_b"]) == (5.0, 5.0)
    assert "days_a" not in rows["Summa"] and rows["Summa"]["total"] == pytest.approx(-300.0)
    assert fv.placements_apart(change) is change
    same = fv.placement_change(then, then, {"HVB": "barn", "Öppenvård": "barn"})
    assert same.unchanged and fv.placements_apart(same) is None and fv.placements_apart(None) is None
    assert "desamma som i jämförelsen" in fv.bridge_caption(False, kept=True)
    assert "sparades utan placeringar" in fv.bridge_caption(False)
    # 2026-12-07 first-import walk: against last month's forecast, or with no placements read, no version is named.
    assert "Prognosen månaden före har inga placeringar" in fv.bridge_caption(False, version=False)
    assert fv.bridge_caption(False, volumes=False).endswith("plus är ett bättre resultat.")
