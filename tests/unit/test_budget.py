"""Budget mot utfall: what the page says of its figures."""


def test_norrtalje_walk_2026_12_07_an_evenly_spread_yearly_budget_is_said_under_the_key_figures():
    """2026-12-07 Norrtälje walk: a yearly budget without two full years of utfall was spread in twelfths, and the
    periodiserad budget (−248 643 tkr) stood beside the report's −247 748 with nothing on the page to say why."""
    import pandas as pd

    from domain.budget import periodisation_caption

    profiles = pd.DataFrame({"activity": ["Socialdirektör", "Familjerätt", "Familjerätt", "Försörjningsstöd"],
                             "profile": ["linjär", "säsong", "linjär", "månad"]})
    assert periodisation_caption(profiles, {"Familjerätt": 1, "Socialdirektör": 2}) == (
        "Den periodiserade budgeten är budget helår fördelad jämnt, en tolftedel per månad, för 2 av 3 verksamheter "
        "(Familjerätt och Socialdirektör): det finns inte två hela års utfall att ta en säsongsprofil ur. Har "
        "nämnden en egen periodisering, läs in budgeten per månad (kolumnen Månad i stället för År).")
    assert "för alla verksamheter:" in periodisation_caption(profiles[profiles["profile"] == "linjär"])
    assert periodisation_caption(profiles[profiles["profile"] != "linjär"]) == ""
    assert periodisation_caption(profiles.iloc[:0]) == ""


def test_norrtalje_walk_2026_12_07_amounts_without_kontogrupp_show_no_income_and_costs_of_zero():
    """2026-12-07 Norrtälje walk: utfall and budget read without kontogrupp showed "Intäkter 0" and "Kostnader 0"
    in the driftredovisning, above the report's 31 324 and −279 071. Without a split there are no such rows."""
    import pandas as pd

    from domain.budget import UNSPECIFIED_GROUP, build_overview, choose_manual_forecast

    ledger = pd.DataFrame({"year": 2025, "month": [1, 2], "activity": "Familjerätt", "account_group": UNSPECIFIED_GROUP,
                           "actual_kr": [95_000, 99_000], "budget_kr": [100_000, 100_000]})
    activities = pd.DataFrame({"activity": ["Familjerätt"], "area": [""], "sort_order": [1]})
    choice = choose_manual_forecast(pd.DataFrame(), 2025, 2, ["Familjerätt"])
    labels = list(build_overview(ledger, activities, choice, 2025, 2).statement["label"])
    assert "Intäkter" not in labels and "Kostnader" not in labels
    assert labels[:2] == ["Ej fördelat på kontogrupp", "Summa driftbudget"]
    split = ledger.assign(account_group=["personalkostnader", "intäkter"])
    assert list(build_overview(split, activities, choice, 2025, 2).statement["label"])[:3] == [
        "Intäkter", "Kostnader", "Summa driftbudget"]
