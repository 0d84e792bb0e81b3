"""The real mismatches in the published reports (../shared/reference/README.md) are found."""

import pandas as pd

from data_access.files import read_table
from domain.quality import check_report_table, coverage_findings
from tests.conftest import REFERENCE


def check(name: str, extra_rows=()):
    content = (REFERENCE / name).read_bytes()
    for extra in extra_rows:
        content += extra.encode()
    table = read_table(content, name)
    return check_report_table(table.headers, [c for _, c in table.rows], [n for n, _ in table.rows])


def test_alingsas_difference_column_misprint():
    found = check("alingsas_2024_drift_tkr.csv")
    assert len(found) == 1
    assert found.iloc[0]["Radnamn"] == "Verksamhetens kostnader"
    assert found.iloc[0]["Publicerat"] == -32296 and found.iloc[0]["Beräknat"] == -33296


def test_norrtalje_unit_price_variances_that_do_not_add_up():
    found = check("norrtalje_2025_a_priser_kr_per_dygn.csv")
    assert set(found["Radnamn"]) == {"Institutionsplaceringar vuxna", "Externt stödboende vuxna"}
    assert sorted(found["Beräknat"]) == [-1145, -70]


def test_norrtalje_misprinted_volume_total():
    # The published total row: every figure the sum of the rows but the prognos (reference README).
    found = check("norrtalje_2025_volymer_dygn.csv",
                  ["Summa,,70046,59006,-11040,88510,109669,-20421,102355\n"])
    prognos = found[found["Kolumn"] == "prognos_2025"]
    assert len(prognos) == 1 and prognos.iloc[0]["Beräknat"] == 108931
    # 2026-12-07 Norrtälje walk: the avvikelse −20 421 agrees with the rows' 108 931 and is not blamed for the
    # misprinted total; the one finding is the total's.
    assert len(found) == 1
    # A variance that is wrong even against the corrected total still is, said once.
    wrong = check("norrtalje_2025_volymer_dygn.csv", ["Summa,,70046,59006,-11040,88510,109669,-20000,102355\n"])
    assert list(zip(wrong["Kolumn"], wrong["Beräknat"])) == [("prognos_2025", 108931), ("avvikelse_budget_prognos",
                                                                                        -20421)]


def test_consistent_tables_pass():
    assert check("norrtalje_2025_driftredovisning.csv").empty


def test_coverage_findings():
    coverage = pd.DataFrame([
        {"activity": "A", "month": m, "actual": 1, "budget": 1} for m in (1, 2, 4)
    ] + [{"activity": "B", "month": 1, "actual": 0, "budget": 1},
         {"activity": "C", "month": 1, "actual": 1, "budget": 0}])
    found = coverage_findings(coverage, 2025, 4)
    assert set(zip(found["Verksamhet"], found["Kontroll"])) == {
        ("A", "Utfall saknas för månader"), ("B", "Budget finns men inget utfall"),
        ("C", "Utfall finns men ingen budget"), ("C", "Utfall saknas för månader")}
    assert found[found["Verksamhet"] == "A"].iloc[0]["Månader"] == "mar"


def test_findings_are_shown_in_swedish_formats():
    """Regression for issue 18: the report check's figures were shown unformatted."""
    from domain.quality import mismatch_table
    from domain.tables import texts

    shown = texts(mismatch_table(check("alingsas_2024_drift_tkr.csv"))).iloc[0]
    assert shown["Publicerat"] == "\u221232\u00a0296" and shown["Beräknat"] == "\u221233\u00a0296"
    assert shown["Skillnad"] == "1\u00a0000"


def test_a_total_of_subtotals_without_the_word_summa():
    """Regression for issue 18: area rows that sum their verksamheter were added into the total again."""
    headers = ["Tkr", "Budget", "Utfall"]
    rows = [["A1", 10, 9], ["A2", 5, 6], ["Område A", 15, 15], ["B1", 7, 7], ["B2", 1, 2], ["B3", 2, 2],
            ["Område B", 10, 11], ["Summa verksamheter", 25, 26]]
    assert check_report_table(headers, rows, list(range(2, 10))).empty
    rows[-1] = ["Summa verksamheter", 25, 36]
    found = check_report_table(headers, rows, list(range(2, 10)))
    assert list(zip(found["Kolumn"], found["Beräknat"])) == [("Utfall", 26)]


def _summary(**lasts: str) -> dict[str, dict[str, object]]:
    """``queries.summary``'s shape, with the yearly and logged tables it also holds."""
    return {name: {"last_period": last} for name, last in lasts.items()} | {
        "volume_budgets": {"last_period": "2027"}, "import_log": {"last_period": "2026-12-05T07:20:52"}}


def test_a_monthly_source_read_to_an_earlier_month_than_the_ledger_is_pointed_out():
    """2026-12-05 walkthrough: with September's utfall in and the volymer and sick leave to August, Datakontroller
    said "Inga luckor" while Placeringar set nine months of budget against eight months of costs."""
    from domain.quality import lagging_sources

    summary = _summary(actuals="2025-09", volumes="2025-08", sick_leave="2025-09", staff_turnover="2025-07")
    assert lagging_sources(summary) == (
        "Utfallet är inläst t.o.m. sep 2025, men volymerna t.o.m. aug 2025 och personalomsättningen t.o.m. jul "
        "2025. Placeringar och Sjukfrånvaro visar dem t.o.m. den senaste inlästa månaden; läs in de senare "
        "månaderna på fliken Importera.")
    assert lagging_sources({**summary, "volumes": {"last_period": "2025-09"}, "staff_turnover": {}}) == ""
    assert lagging_sources({"volumes": {"last_period": "2025-08"}}) == ""


def test_controller_walk_2026_12_07_months_of_other_sources_after_the_ledgers_are_pointed_out():
    """Controller walk (2026-12-07): September's utfall undone, September's sick leave and volumes stayed stored,
    and the pages showed August without a word of them. Said on the Data page, after an import and after an undo."""
    from domain.quality import lagging_sources, leading_sources

    summary = _summary(actuals="2025-08", volumes="2025-09", sick_leave="2025-09", staff_turnover="2025-08",
                       forecasts_manual="2025-08")
    assert leading_sources(summary) == (
        "Senare månader än utfallets (t.o.m. aug 2025) finns för volymerna (t.o.m. sep 2025) och sjukfrånvaron "
        "(t.o.m. sep 2025). Sidorna visar perioderna t.o.m. den senast bokförda utfallsmånaden och tar med de "
        "senare månaderna när utfallet för dem är inläst.")
    assert lagging_sources(summary) == ""
    # A verksamheternas prognos made after a month not yet booked waits for its utfall too.
    assert leading_sources(_summary(actuals="2025-08", forecasts_manual="2025-09")).startswith(
        "Senare månader än utfallets (t.o.m. aug 2025) finns för verksamheternas prognos (per sep 2025). ")
    assert leading_sources({**summary, "volumes": {"last_period": "2025-08"}, "sick_leave": {}}) == ""
    assert leading_sources({"volumes": {"last_period": "2025-09"}}) == ""


def test_controller_walk_2026_12_07_after_an_import_over_an_earlier_month_the_pages_are_said_to_keep_it():
    from domain.quality import IMPORT_RECOMPUTED, imported_sentence

    done = "utfall_sep.csv: 180 rader sparade."
    assert imported_sentence(done, None, None) == f"{done} Alla sidor visar nu de nya siffrorna. {IMPORT_RECOMPUTED}"
    assert imported_sentence(done, (2025, 9), (2025, 9)).startswith(f"{done} Alla sidor visar nu")
    assert imported_sentence(done, (2025, 7), (2025, 9)) == (
        f"{done} Sidorna visar fortfarande juli 2025, den period som är vald under Period; databasen har nu data "
        f"till och med september 2025. {IMPORT_RECOMPUTED}")
