"""The Prognos page's pure helpers in domain.forecast_view."""


def test_the_name_offered_for_a_new_version_is_one_that_can_be_saved():
    """Walkthrough: the form offered "Prognos delår 2 2025" again after it was saved, and saving it was refused."""
    from domain.forecast_view import default_version_name

    assert default_version_name(2025, 8) == "Prognos delår 2 2025"
    assert default_version_name(2025, 7, ["Prognos jul 2025"]) == "Prognos jul 2025 (2)"
    assert default_version_name(2025, 8, ["Prognos delår 2 2025", "Prognos delår 2 2025 (2)"]) == \
        "Prognos delår 2 2025 (3)"
