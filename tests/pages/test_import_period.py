"""After an import of a new month, the Data page says which month the pages show (2026-12-07 controller walk)."""

from __future__ import annotations

import html

from tests.pages.test_visible_text import leaks

SEPTEMBER = ("Månad;Område;Verksamhet;Kontogrupp;Belopp\n"
             "2025-09;Individ- och familjeomsorg;Ekonomiskt bistånd;personalkostnader;148 889\n").encode()


def _texts(at) -> str:
    return html.unescape(" ".join([s.value for s in at.success] + [m.value for m in at.markdown]))


def test_walk_2026_12_07_an_import_of_a_new_month_over_an_earlier_period_says_so_and_offers_the_new_month(
        app_test, sample_url):
    """A controller on July imported September and read "Alla sidor visar nu de nya siffrorna" while every page
    went on showing July; the Data page's footer said August beside a sidebar about July. The message says which
    month the pages show, a button shows the new month on every page, and the footer names the chosen month."""
    at = app_test("pages/9_Data.py", sample_url)
    at.query_params["period"] = "2025-07"
    at.run()
    assert "visar t.o.m. jul 2025; databasen har data t.o.m. aug 2025" in _texts(at)
    at.file_uploader[0].set_value(("utfall_2025-09.csv", SEPTEMBER, "text/csv")).run()
    for box in at.checkbox:
        if box.label.startswith("Jag har granskat"):
            box.check()
    at.run()
    at.button(key="data_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = _texts(at)
    assert "Sidorna visar fortfarande juli 2025, den period som är vald under Period; databasen har nu data till " \
           "och med september 2025." in said
    assert "Alla sidor visar nu" not in said
    assert "visar t.o.m. jul 2025; databasen har data t.o.m. sep 2025" in said
    # Second 2026-12-07 walk: the sources still at August were said only under Datakontroller.
    assert any(i.value.startswith("Utfallet är inläst t.o.m. sep 2025, men volymerna t.o.m. aug 2025")
               and i.value.endswith("läs in de senare månaderna på fliken Importera.") for i in at.info)
    at.button(key="data_show_latest").click().run()
    assert "period" not in at.query_params
    assert "data t.o.m. sep 2025" in _texts(at) and "visar t.o.m. jul 2025" not in _texts(at)
    assert leaks(at, "Data efter import") == []
