"""The Prognos page's pure helpers in domain.forecast_view."""


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
    assert lock_question("  Delårsrapport 2\n2025 ", label, 2025, 8, (2025, 8)) == (
        'Lås versionen "Delårsrapport 2 2025"? Den statistiska prognosen: \u2212368\u00a0226\u00a0tkr, brytmånad aug '
        "2025. En låst version kan inte ändras eller tas bort; en ny bedömning sparas som en ny version.")
    # 2026-12-06 walk: delår 2 2023 was locked in December 2026 with no word that the year's result was known.
    assert lock_question("Delår 2 2023 (2)", label, 2023, 8, (2025, 8)).endswith(
        "ny version. December 2023 är redan bokförd: versionen sparas i efterhand, och den ersätter inte en version "
        "som redan är låst per delår 2 i regeln om 5\u00a0%.")
    assert lock_question("D", label, 2024, 10, (2024, 12)).endswith("December 2024 är redan bokförd: versionen sparas "
                                                                    "i efterhand.")
    assert "bokförd" not in lock_question("D", label, 2024, 10, (2024, 11)) + lock_question("D", label, 2024, 10)


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
