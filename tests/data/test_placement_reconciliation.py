"""Issue 15: the placements' costs are reconciled with the ledger of the verksamhet they belong to."""

from sqlalchemy import insert

from data_access import queries
from data_access import schema as s
from domain.quality import placement_findings


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
