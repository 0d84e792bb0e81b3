"""A choice made in a tab is still there after a look at another tab (issue 19: only the open tab is
drawn, and Streamlit forgets a widget that is not drawn)."""

from tests.pages.tabs import open_tab


def test_issue_19_a_slider_and_a_choice_in_a_tab_survive_a_tab_switch(app_test, sample_url):
    at = open_tab(app_test("pages/3_Placeringar.py", sample_url).run(), "plac_tab", "Utveckling och ytterfall")
    categories = at.selectbox(key="plac_trend_category").options
    at.selectbox(key="plac_trend_category").set_value(categories[1])
    at.select_slider(key="plac_index_1").set_value(5.0).run()
    open_tab(at, "plac_tab", "Volymer (dygn)")
    assert not at.exception
    open_tab(at, "plac_tab", "Utveckling och ytterfall")
    assert at.selectbox(key="plac_trend_category").value == categories[1]
    assert at.select_slider(key="plac_index_1").value == 5.0
    assert not at.warning and not at.exception


def test_issue_19_the_drilldown_keeps_its_verksamhet_across_tabs(app_test, sample_url):
    at = open_tab(app_test("pages/1_Budget_mot_utfall.py", sample_url).run(), "budget_tab", "Fördjupning")
    chosen = at.selectbox(key="budget_drill_activity").options[2]
    at.selectbox(key="budget_drill_activity").set_value(chosen).run()
    open_tab(at, "budget_tab", "Driftredovisning")
    open_tab(at, "budget_tab", "Fördjupning")
    assert at.selectbox(key="budget_drill_activity").value == chosen
    assert not at.exception


def test_issue_19_the_track_records_cut_off_survives_a_tab_switch(app_test, sample_url):
    at = open_tab(app_test("pages/2_Prognos.py", sample_url).run(), "prognos_tab", "Träffsäkerhet")
    assert at.selectbox(key="prognos_record_cutoff").value == 8
    at.selectbox(key="prognos_record_cutoff").set_value(4).run()
    open_tab(at, "prognos_tab", "Per verksamhet")
    open_tab(at, "prognos_tab", "Träffsäkerhet")
    assert at.selectbox(key="prognos_record_cutoff").value == 4
    assert not at.warning and not at.exception
