"""Issue 15: the placements' costs are reconciled with the ledger of the verksamhet they belong to."""

import pandas as pd
from sqlalchemy import insert

from data_access import queries
from data_access import schema as s
from data_access.engine import make_engine
from domain.quality import placement_findings
from forecasting.board import categories_from_volumes
from sample_data import CATEGORY_ACTIVITY, SAMPLE_DIR


def book(engine, *, ledger_kr: int, placement_kr: int, mapped: bool = True) -> None:
    with engine.begin() as connection:
        connection.execute(insert(s.activities).values(name="Institutionsvård", area="IFO", sort_order=1))
        for month in (1, 2):
            connection.execute(insert(s.actuals).values(year=2025, month=month, activity="Institutionsvård",
                                                        account_group="köp av tjänster", amount_kr=ledger_kr))
            connection.execute(insert(s.actuals).values(year=2025, month=month, activity="Institutionsvård",
                                                        account_group="intäkter", amount_kr=-40_000))
        connection.execute(insert(s.categories).values(name="HVB", client_group="barn och unga", unit="dygn",
                                                       sort_order=1, activity="Institutionsvård" if mapped else ""))
        for month in (1, 2, 3):  # March has no ledger yet: it is left out of the comparison
            connection.execute(insert(s.volumes).values(year=2025, month=month, category="HVB", care_days=30,
                                                        cost_kr=placement_kr))


def test_placements_costing_more_than_their_verksamhet_are_flagged(engine):
    book(engine, ledger_kr=100_000, placement_kr=150_000)
    findings = placement_findings(queries.placement_reconciliation(engine, 2025, 3), 2025)
    row = findings.iloc[0]
    assert row["Verksamhet"] == "Institutionsvård" and row["Kategorier"] == 1
    assert row["Placeringar"] == 300_000 and row["Bokförd kostnad"] == 200_000  # income is not a cost
    assert row["Skillnad"] == -100_000
    assert row["Kontroll"] == "Över bokförd kostnad" and row["Månader"] == "2 månader 2025"


def test_placements_within_their_verksamhet_agree(engine):
    book(engine, ledger_kr=100_000, placement_kr=60_000)
    row = placement_findings(queries.placement_reconciliation(engine, 2025, 12), 2025).iloc[0]
    assert row["Skillnad"] == 80_000 and row["Kontroll"] == "Stämmer"


def test_unmapped_categories_are_not_compared(engine):
    book(engine, ledger_kr=100_000, placement_kr=150_000, mapped=False)
    assert placement_findings(queries.placement_reconciliation(engine, 2025, 12), 2025).empty


def _sample_amounts(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE_DIR / name, sep=";", dtype=str)
    for column in ("Belopp", "Dygn", "À-pris", "Pris"):
        if column in frame:
            frame[column] = frame[column].str.replace("−", "-").str.replace(",", ".").astype(float)
    return frame


def test_issue_15_the_sample_placements_never_cost_more_than_their_verksamhet(sample_url):
    engine = make_engine(sample_url)
    for year, month in [(year, 12) for year in range(2019, 2025)] + [(2025, 8)]:
        findings = placement_findings(queries.placement_reconciliation(engine, year, month), year)
        assert set(findings["Verksamhet"]) == set(CATEGORY_ACTIVITY.values())
        assert set(findings["Kontroll"]) == {"Stämmer"}, findings
        share = findings["Placeringar"].sum() / findings["Bokförd kostnad"].sum()
        assert 0.5 < share < 0.9  # the placements are much, never all, of the verksamheters' costs
    engine.dispose()


def test_issue_15_the_controllers_volume_forecast_overruns_as_the_ledger_does():
    """Before: the controllers' volume forecast implied a 36,5 mnkr overrun that the ledger did not show."""
    forecasts = _sample_amounts("volymprognos.csv")
    forecasts = forecasts[forecasts["Prognosmånad"] == "2025-08"].set_index("Kategori")
    budgets = _sample_amounts("volymbudget.csv")
    budgets = budgets[budgets["År"] == "2025"].set_index("Kategori")
    placements_overrun = float((forecasts["Dygn"] * forecasts["À-pris"] - budgets["Dygn"] * budgets["Pris"]).sum())
    activities = set(CATEGORY_ACTIVITY.values())
    ledger_forecast = _sample_amounts("prognos.csv")
    ledger_forecast = ledger_forecast[(ledger_forecast["Månad"] == "2025-08")
                                      & ledger_forecast["Verksamhet"].isin(activities)]["Belopp"].sum()
    ledger_budget = _sample_amounts("budget.csv")
    ledger_budget = ledger_budget[(ledger_budget["År"] == "2025")
                                  & ledger_budget["Verksamhet"].isin(activities)]["Belopp"].sum()
    ledger_overrun = float(ledger_forecast - ledger_budget)  # ledger sign: a cost above budget is positive
    assert ledger_overrun > 0 and placements_overrun > 0
    assert abs(placements_overrun - ledger_overrun) < 2_000_000


def test_issue_15_statistical_volume_forecasts_follow_the_year_so_far(sample_url):
    """Before: Institutionsplaceringar vuxna 15 589 → 2 223 tkr, Extern öppenvård 8 734 → 17 885 tkr."""
    engine = make_engine(sample_url)
    volumes = queries.monthly_volumes(engine, list(range(2019, 2026)))
    budgets = queries.volume_budgets(engine)
    engine.dispose()
    forecasts = categories_from_volumes(volumes, 2025, 8, n_paths=0)
    assert set(forecasts) == set(CATEGORY_ACTIVITY)
    budget = budgets[budgets["year"] == 2025].set_index("category")
    for category, forecast in forecasts.items():
        budget_cost = budget.loc[category, "care_days"] * budget.loc[category, "unit_price_kr"]
        assert 0.75 < abs(forecast.cost.point) / budget_cost < 1.3, category
        assert 0.75 < abs(forecast.days.point) / budget.loc[category, "care_days"] < 1.3, category
