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
