"""Meeting papers: the PDF and the workbook say what the pages show (issue 8)."""

import dataclasses
import html
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from domain.formatting import PROBABILITY_FORMAT, format_number


@pytest.fixture
def pack_and_papers(sample_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from data_access.engine import make_engine
    from data_access.scenarios import save_scenario
    from domain.access import CONTROLLER, Actor
    from reports.papers import build
    from ui import state

    engine = make_engine(sample_url)
    save_scenario(engine, name="=HYPERLINK(\"http://example.invalid\")", actor=Actor("controller", CONTROLLER), year=2025, cutoff_month=8,
                  base_label="Statistisk prognos aug 2025", for_meeting=True,
                  assumptions={"categories": {"Institutionsplaceringar barn och unga": {
                      "days_pct": 0, "placements": -2, "from_month": 10, "price_pct": 0}}})
    key = state.db_key()
    pack = state.meeting_pack(key, state.scenarios_key(), 2025, 8)
    steps = []
    papers = build(pack, state.import_log(key), progress=lambda share, text: steps.append(share),
                   trail=state.audit_entries())
    assert steps[-1] == 1.0 and steps == sorted(steps)
    return pack, papers


def pdf_text(papers) -> str:
    reader = PdfReader(io.BytesIO(papers.pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_pdf_has_one_page_per_screen_the_headlines_and_key_numbers(pack_and_papers):
    pack, papers = pack_and_papers
    reader, text = pdf_text(papers)
    assert reader.metadata.title == f"Mötespapper {pack.municipality} · {pack.cutoff_label}"  # walkthrough
    screens = pack.screens
    assert [s.key for s in screens][:6] == ["prognos", "verksamheter", "placeringar", "sjukfranvaro", "mal",
                                            "femprocent"]
    assert screens[-1].title.startswith("Scenario: =HYPERLINK")
    from reports.papers import described_tables

    tables = described_tables(pack)
    # A page per screen, the tables (a long one runs on), the method note.
    # Issue 21: the comparison with Kolada adds its two tables (costs and percentages).
    assert len(tables) == 16 and len(reader.pages) <= len(screens) + 2 * len(tables) + 1
    # 2026-12-07 walk: a table that fits under the one before stands there (a summary of four rows and a list of
    # one took a page each); every table's title begins its part, never the foot of a page.
    assert len(reader.pages) < len(screens) + len(tables) + 1
    starts = [squash(page.extract_text().splitlines()[0]) for page in reader.pages]
    assert sum(any(start.startswith(squash(t.title)) for start in starts) for t in tables) < len(tables)
    flat = squash(text)
    assert all(squash(table.title) in flat for table in tables)
    for screen in screens:
        assert squash(screen.headline)[:80] in flat
    assert "Data t.o.m. augusti 2025" in flat and "Preliminär statistisk prognos aug 2025" in flat
    total = pack.overview.statement.set_index("label").loc["Summa driftbudget"]
    assert squash(format_number(total["variance_ytd"] / 1000)) in flat
    assert "Om siffrorna" in flat and "mittpunktsmetoden" in flat
    assert papers.warnings == []
    # 2026-12-06: each page's footer counts the pages, so that a printed set shows a page missing.
    pages = len(reader.pages)
    assert all(f"sida {n} av {pages}" in squash(page.extract_text()) for n, page in enumerate(reader.pages, 1))


def test_a_date_is_never_split_and_a_continued_table_is_titled(pack_and_papers):
    """2026-12-05 walkthrough: "Senaste kommentarer" printed every date as "31 aug" over "2025" (the widths
    split words at the no-break space the cell does not break at), and the indicator table ran onto a page
    with no title. Each date now stands on its line; a page a table runs onto is headed "… (forts.)"."""
    _, papers = pack_and_papers
    reader, _ = pdf_text(papers)
    pages = [page.extract_text() for page in reader.pages]
    comments = next(text for text in pages if "Senaste kommentarer" in text.splitlines())
    dates = [squash(line) for line in comments.splitlines() if "31 aug" in squash(line)]
    assert len(dates) >= 5 and all("31 aug 2025" in line for line in dates)
    titles = {squash(text.splitlines()[0]) for text in pages}
    continued = [t for t in titles if t.endswith("(forts.)")]
    assert continued and all(t.removesuffix(" (forts.)") in titles for t in continued)


def test_workbook_sheets_numbers_and_notes(pack_and_papers):
    pack, papers = pack_and_papers
    workbook = load_workbook(io.BytesIO(papers.xlsx))
    assert workbook.sheetnames[:3] == ["Om rapporten", "Driftredovisning", "Helårsprognos per verksamhet"]
    assert {"Volymer per kategori", "À-pris per kategori", "Volym, mix och pris", "Sjukfrånvaro per grupp",
            "Sjukfrånvaro per månad", "Scenarier", "Importlogg", "Granskningslogg"} <= set(workbook.sheetnames)
    # Issue 20: the goal follow-up as the page shows it, a goal's row in bold above its indicators.
    assert {"Mål per målområde", "Mål och indikatorer", "Uppdrag och initiativ", "Kommentarer"} <= set(
        workbook.sheetnames)
    assert {"Jämförelse kr", "Jämförelse procent"} <= set(workbook.sheetnames)  # issue 21
    # 2026-12-06 walk: the initiativ that no goal holds, counted in the summary, is listed with its comment.
    orphan = "Besluta om insatser som ska ges utan biståndsprövning"
    assert [r[0].value for r in workbook["Uppdrag utan inriktningsmål"].iter_rows(min_row=3)] == [orphan]
    commented = {r[1].value: r[0].value for r in workbook["Kommentarer"].iter_rows(min_row=3)}
    assert commented[orphan] == "Utan inriktningsmål"
    goal_rows = {r[0].value: r for r in workbook["Mål och indikatorer"].iter_rows(min_row=3)}
    missed = goal_rows["7.3 Rätt insats ska ges i rätt tid och av rätt aktör"]
    assert missed[1].value == "✗ Ej uppfyllt" and missed[0].font.b
    items = {r[0].value: r for r in workbook["Uppdrag och initiativ"].iter_rows(min_row=3)}
    assert [c.value for c in items["Summa"][2:5]] == [8, 3, 11]  # the initiativ without a goal too
    days = goal_rows["Genomsnittlig utredningstid barn och unga, dagar"]
    assert [c.value for c in days[1:3]] == ["✗ Ej uppfyllt", "Positiv"] and days[3].data_type == "n"
    trail = [r for r in workbook["Granskningslogg"].iter_rows(min_row=3, values_only=True)]
    assert any(r[3] == "scenario sparat" for r in trail)
    sheet = workbook["Driftredovisning"]
    assert "Data t.o.m. augusti 2025" in sheet["A1"].value and sheet.freeze_panes == "B3"
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    total = pack.overview.statement.set_index("label").loc["Summa driftbudget"]
    cell = rows["Summa driftbudget"][3]
    assert cell.data_type == "n" and cell.value == round(total["variance_ytd"] / 1000)
    # 2026-12-05 walk: an avvikelse is written with its sign, as the key figures beside the table write it.
    assert cell.number_format == "+#,##0;-#,##0;0" and rows["Summa driftbudget"][1].number_format == "#,##0"
    forecast = {r[0].value: r for r in workbook["Helårsprognos per verksamhet"].iter_rows(min_row=3)}
    heading = [c.value for c in workbook["Helårsprognos per verksamhet"][2]]
    assert heading[:5] == ["Verksamhet", "Budget helår", "Statistisk prognos", "Statistisk mot budget",
                           "Verksamheternas prognos"]  # the figure and its avvikelse first (2026-12-07 walk)
    assert forecast["Summa nämnden"][2].value == round(pack.board.point / 1000)
    assert forecast["Summa nämnden"][heading.index("Sannolikhet inom ±5 %")].number_format == PROBABILITY_FORMAT


def test_workbook_never_writes_formulas_and_keeps_suppression(pack_and_papers):
    _, papers = pack_and_papers
    workbook = load_workbook(io.BytesIO(papers.xlsx))
    scenario = workbook["Scenarier"]["A3"]
    assert scenario.value.startswith("=HYPERLINK") and scenario.data_type == "s"
    sick = [r for r in workbook["Sjukfrånvaro per grupp"].iter_rows(min_row=3, values_only=True)]
    familjeratt = next(r for r in sick if r[0] == "Enhet" and r[1] == "Familjerätt")
    assert familjeratt[2] == "–" and familjeratt[3] == "prickad"  # (issue 17) nor the head count
    numbers = [r[3] for r in sick if r[1] is not None and r[3] != "prickad"]  # the table's rows, not its note
    assert sick[-1][0].startswith("Anställda, minst: gruppens minsta antal")
    assert all(isinstance(n, float) for n in numbers)


def test_sidebar_builds_the_papers(app_test, sample_url, monkeypatch):
    from reports import papers as built

    asked = []
    original = built.build
    monkeypatch.setattr(built, "build", lambda pack, audit=None, **kwargs: asked.append(
        (audit is not None, kwargs.get("trail") is not None)) or original(pack, audit, **kwargs))
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    at.button(key="sidebar_papers_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Ladda ner PDF", "Ladda ner Excel"]
    # No version is locked for aug 2025 in the sample: said before the papers are built (2026-12-07 walk: their
    # first page gave the statistical 4,8 mnkr and their page on the 5 % rule named the managers' 7,2 as judged).
    assert [html.unescape(c.value) for c in at.sidebar.caption if c.value.startswith("Ingen version är låst")] == [
        "Ingen version är låst för aug 2025: papperen visar den preliminära statistiska prognosen. Regeln om 5\u00a0% "
        "bedömer då verksamheternas prognos per delår 2, inte den statistiska. Lås en version under Prognos › Spara "
        "version innan papperen skickas ut."]
    # The papers that go out carry no logs unless asked for (walkthrough: the users and file names of the
    # import log and the audit trail were in the nämnd's workbook); the auditors tick them in.
    at.checkbox(key="sidebar_papers_logs").check().run()
    at.button(key="sidebar_papers_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert asked == [(False, False), (True, True)]


def test_log_sheets_have_swedish_headers_real_dates_and_no_json(pack_and_papers):
    """Regression for issue 18: the log sheets had raw English headers, text timestamps and JSON blobs."""
    import datetime as dt

    _, papers = pack_and_papers
    workbook = load_workbook(io.BytesIO(papers.xlsx))
    log = workbook["Importlogg"]
    assert [c.value for c in log[2]] == ["Nr", "Tid", "Typ", "Fil", "Rader", "Resultat", "Användare", "Varför",
                                         "Kontrollsumma (SHA-256)"]
    first = [c for c in log[3]]
    assert isinstance(first[1].value, dt.datetime) and first[1].number_format == "yyyy-mm-dd hh:mm"
    from domain.tables import KIND_NAMES

    assert first[2].value in set(KIND_NAMES.values())
    assert first[4].data_type == "n" and first[4].number_format == "#,##0"
    trail = workbook["Granskningslogg"]
    assert [c.value for c in trail[2]] == ["Post", "Tid", "Användare", "Händelse", "Vad", "Före", "Efter",
                                           "Kontrollsumma"]
    rows = list(trail.iter_rows(min_row=3, values_only=True))
    assert rows and all(isinstance(r[1], dt.datetime) for r in rows)
    assert not any(isinstance(v, str) and v.lstrip().startswith(("{", "[")) for r in rows for v in r)
    assert any(r[6] and ":" in r[6] for r in rows)  # "namn: …" rather than '{"namn": …}'
    # Each post with its number and checksum, to compare an archived workbook with granska (2026-12-07 audit walk).
    assert all(len(r[7]) == 12 for r in rows) and sorted(r[0] for r in rows) == list(range(1, len(rows) + 1))


def test_the_report_check_passes_the_products_own_statement(pack_and_papers):
    """Regression for issue 18: the check added subtotal rows into "Summa verksamheter" (7 false errors)."""
    from data_access.files import read_table
    from domain.quality import check_report_table

    _, papers = pack_and_papers
    table = read_table(papers.xlsx, "mötespapper.xlsx", sheet="Driftredovisning")
    found = check_report_table(table.headers, [c for _, c in table.rows], [n for n, _ in table.rows])
    assert found.empty, found.to_string()


def test_the_papers_say_which_forecast_the_statement_shows_beside_the_year_end(pack_and_papers):
    """Walkthrough: page 1 of the papers said a surplus of 4,7 mnkr (the statistical forecast) and the
    driftredovisning's total 7 204 tkr (the verksamheter's own) with nothing between them. The table says under it,
    in the PDF, the workbook and on the page alike, whose forecast its columns are and what the year-end is."""
    nbsp = "\u00a0"
    pack, papers = pack_and_papers
    note = (f"Kolumnerna Verksamheternas prognos och Avvikelse budget–prognos är verksamheternas egen helårsprognos "
            f"(verksamheternas prognos aug 2025): \u2212365{nbsp}766{nbsp}tkr, avvikelse mot budget +7{nbsp}204{nbsp}tkr. "
            f"Periodens helårsprognos, den som nyckeltalen och meningarna anger, är preliminär statistisk prognos "
            f"aug 2025: \u2212368{nbsp}197{nbsp}tkr, avvikelse mot budget +4{nbsp}773{nbsp}tkr; per verksamhet står "
            f"den i tabellen Helårsprognos per verksamhet.")
    from domain.budget import statement_note

    assert statement_note(pack.overview, pack.official) == note
    _, text = pdf_text(papers)
    assert "Driftredovisning jan–aug 2025, tkr" in text
    assert " ".join(note.replace(nbsp, " ").split()) in " ".join(text.replace(nbsp, " ").split())
    sheet = load_workbook(io.BytesIO(papers.xlsx))["Driftredovisning"]
    assert note in [cell.value for cell in sheet["A"]]


def test_the_report_check_passes_the_statement_as_the_page_shows_it(pack_and_papers):
    """Regression for issue 18: the Budget page's table, downloaded as CSV, gave false errors."""
    from domain.budget import statement_table
    from domain.quality import check_report_table
    from domain.tables import texts

    pack, _ = pack_and_papers
    shown = texts(statement_table(pack.overview))
    headers = list(shown.columns)
    rows = shown.values.tolist()
    found = check_report_table(headers, rows, list(range(2, len(rows) + 2)))
    assert found.empty, found.to_string()


def test_issue_18_pdf_and_workbook_write_swedish_numbers_and_dates(pack_and_papers):
    from tests.pages.test_visible_text import text_leaks

    _pack, papers = pack_and_papers
    reader, _text = pdf_text(papers)
    found = [leak for number, page in enumerate(reader.pages, start=1)
             for leak in text_leaks(page.extract_text(), f"PDF sida {number}")]
    workbook = load_workbook(io.BytesIO(papers.xlsx))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found += text_leaks(cell.value, f"{sheet.title}!{cell.coordinate}")
    assert found == []


def test_issue_18_pdf_text_never_overlaps_and_stays_on_the_page(pack_and_papers):
    import pdfplumber

    _pack, papers = pack_and_papers
    problems = []
    with pdfplumber.open(io.BytesIO(papers.pdf)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words()
            boxes = [(w["x0"], w["top"], w["x1"], w["bottom"], w["text"]) for w in words]
            boxes += [(i["x0"], i["top"], i["x1"], i["bottom"], "[diagram]") for i in page.images]
            for x0, top, x1, bottom, text in boxes:
                if x0 < 0 or top < 0 or x1 > page.width + 0.5 or bottom > page.height + 0.5:
                    problems.append(f"sida {number}: {text!r} går utanför sidan")
            ordered = sorted(boxes)
            for i, (x0, top, x1, bottom, text) in enumerate(ordered):
                for other in ordered[i + 1:]:
                    if other[0] >= x1:
                        break
                    width = min(x1, other[2]) - max(x0, other[0])
                    height = min(bottom, other[3]) - max(top, other[1])
                    # More than a sliver in both directions: one text is printed over another.
                    if width > 0.5 and height > 1.0:
                        problems.append(f"sida {number}: {text!r} överlappar {other[4]!r}")
    assert problems == []


def test_the_papers_first_chart_writes_both_year_end_figures(pack_and_papers):
    """As on the slide: the forecast's figure right of its last point, the managers' left of their diamond."""
    from domain.formatting import format_mnkr
    from reports.figures import result_path_figure

    pack, _ = pack_and_papers
    path = pack.result_path
    figure = result_path_figure(path)
    written = [text.get_text() for text in figure.axes[0].texts]
    forecast = float(path["mean"].dropna().iloc[-1])
    managers = float(path["manual"].dropna().iloc[-1])
    assert format_mnkr(forecast, plus=True) in written
    assert format_mnkr(managers, plus=True) in written
    assert format_mnkr(managers, plus=True) != format_mnkr(forecast, plus=True)


def test_the_sick_leave_and_placement_slides_name_their_months(pack_and_papers):
    """2026-12-05 walkthrough: with September booked and sick leave read to August, the slide and the papers said
    "Sjukfrånvaron är 6,1 % hittills i år" and "Sjukfrånvaro per grupp, hittills i år" under a September footer,
    and the placement slide "Enligt controllernas volymprognos" of August's forecast. Each names its months."""
    pack, papers = pack_and_papers
    screens = {screen.key: screen for screen in pack.screens}
    assert screens["sjukfranvaro"].headline.startswith("Sjukfrånvaron jan–aug 2025 är ")
    assert "(samma period i fjol " in screens["sjukfranvaro"].headline
    assert screens["placeringar"].headline.startswith("Enligt controllernas volymprognos aug 2025 kostar ")
    _, text = pdf_text(papers)
    assert "Sjukfrånvaro per grupp, jan–aug 2025" in squash(text)
    # At August nothing ends early, and the footer says the period's months.
    assert screens["sjukfranvaro"].through == screens["placeringar"].through == ""
    # 2026-12-06 notes: September's deck drew the sick leave and the volumes through August above a footer
    # "Data t.o.m. september 2025"; those slides say their own last month.
    september = {screen.key: screen for screen in dataclasses.replace(pack, month=9, sick_through=8).screens}
    assert september["sjukfranvaro"].through == "Sjukfrånvaro t.o.m. augusti 2025"
    assert september["placeringar"].through == "Volymer t.o.m. augusti 2025"
    assert september["prognos"].through == ""
    # 2026-12-07 revisor walk: the papers' pages said only the footer's "Data t.o.m. september 2025".
    from reports.papers import build_pdf

    pdf, _ = build_pdf(dataclasses.replace(pack, month=9, sick_through=8))
    printed = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Volymer t.o.m. augusti 2025" in squash(printed) and "Sjukfrånvaro t.o.m. augusti 2025" in squash(printed)


def test_an_earlier_period_judges_the_5_percent_rule_as_that_period_knew_it(sample_url, monkeypatch):
    """2026-12-05 walkthrough: the meeting link for aug 2024 said the 2024 version "träffade decemberutfallet
    (355,0 mnkr) med 0,3 % avvikelse. Regeln har hållit 6 av 6 bedömda år", beside a first slide that still
    forecast 2024 and a Träffsäkerhet tab of five years. A year's December is an outcome from December on."""
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from domain.goals import NOT_ASSESSED, five_percent_sentence
    from ui import state

    key = state.db_key()
    then = state.meeting_pack(key, state.scenarios_key(), 2024, 8)
    by_year = {row.year: row for row in then.five_percent}
    assert by_year[2024].assessment == NOT_ASSESSED and by_year[2024].outcome_kr is None
    assert all(row.year <= 2024 for row in then.five_percent)
    assert five_percent_sentence(then.five_percent).endswith(
        'Regeln har hållit 5 av 5 bedömda år. 2024 bedöms på låst version "Delårsrapport 2 2024", verksamheternas '
        "prognos.")
    december = state.meeting_pack(key, state.scenarios_key(), 2024, 12)
    assert {row.year: row for row in december.five_percent}[2024].outcome_kr is not None
    now = state.meeting_pack(key, state.scenarios_key(), 2025, 8)
    assert five_percent_sentence(now.five_percent).endswith(
        "Regeln har hållit 6 av 6 bedömda år. För 2025 är ingen version låst per delår 2; utan en låst version "
        "bedöms verksamheternas prognos per delår 2.")


def test_a_probability_left_out_is_explained_under_the_table(pack_and_papers):
    """2026-12-05 walkthrough: Flyktingmottagande's "Sannolikhet inom ±5 %" was "–" with no word why; its
    Kontroll said "utanför P10–P90", the reason stood in the README only."""
    from domain.forecast_view import forecast_lines_table
    from domain.tables import texts

    pack, papers = pack_and_papers
    table = forecast_lines_table(pack.forecast_table)
    shown = texts(table).set_index("Verksamhet")
    assert shown.loc["Flyktingmottagande", "Sannolikhet inom ±5 %"] == "–"
    assert table.note.endswith("Sannolikhet inom ±5\u00a0% står som – där verksamhetens intervall rymmer resultat på "
                               "båda sidor om noll: där är ±5\u00a0% några tkr.")
    _, text = pdf_text(papers)
    assert "verksamhetens intervall rymmer resultat på båda sidor om noll" in squash(text)


def test_a_trend_beside_no_value_is_explained_in_the_papers(pack_and_papers):
    """2026-12-05 walk of the meeting link: the 5 % rule's indicator stood as "– Ej utvärderad" with no value for
    2025 and Trend "Positiv"; the rule for such a trend was on the page only."""
    pack, papers = pack_and_papers
    _, text = pdf_text(papers)
    assert "Trend: perioden mot samma period i fjol; utan ett värde för perioden de två senaste hela åren mot " \
        "varandra." in squash(text)


def test_a_table_a_little_over_its_page_keeps_to_one_page(pack_and_papers):
    """2026-12-05 walk of the papers: the forecast table's Summa nämnden stood alone on a page of its own
    under "Helårsprognos per verksamhet, tkr (forts.)"; a table that runs a little over is set smaller."""
    _, papers = pack_and_papers
    reader, _ = pdf_text(papers)
    firsts = [page.extract_text().splitlines()[0] for page in reader.pages]
    assert "Helårsprognos per verksamhet, tkr" in firsts
    assert not any(line.startswith("Helårsprognos per verksamhet, tkr (forts.)") for line in firsts)
    # A table too long for any page still runs on, under its repeated title.
    assert any(line.endswith("(forts.)") for line in firsts)


def test_walkthrough_2026_12_06_slide_two_says_where_each_verksamhet_ends_the_year(pack_and_papers):
    """No slide showed the year-end avvikelse per verksamhet: slide 2 and its page in the papers draw it beside
    the avvikelse so far, by the period's forecast, so that its Summa is slide 1's figure to the krona, and the
    sentence gives the year-end of the two verksamheter it names."""
    pack, _ = pack_and_papers
    rows = pack.activity_variances
    assert rows["variance_year"].sum() == pytest.approx(pack.official.point - pack.board.budget, abs=1.0)
    assert rows["variance_ytd"].sum() == pytest.approx(pack.overview.variance_ytd, abs=1.0)
    lines = dict(pack.official.lines)
    named = rows[~rows["activity"].str.startswith("Övriga")]
    budgets = pack.overview.activity_variance.set_index("activity")["budget_year"]
    assert all(value == pytest.approx(lines[a] - budgets[a], abs=1.0)
               for a, value in zip(named["activity"], named["variance_year"]))
    headline = pack.screens[1].headline
    worst = pack.overview.activity_variance.sort_values("variance_ytd").iloc[0]["activity"]
    year_end = float(rows.set_index("activity").loc[worst, "variance_year"])
    assert f"{worst} " in headline and f"(helårsprognos {format_number(abs(year_end) / 1e6, 1)}\u00a0mnkr " \
        f"{'bättre' if year_end > 0 else 'sämre'})" in headline


def _printed_from(table, start: float) -> list[str]:
    """The text of each page of ``table`` drawn as the papers draw it, beginning ``start`` mm down a page."""
    from fpdf import FPDF

    from reports import papers

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(papers._font_path() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(papers._font_path() / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_y(start)
    papers._draw_described(pdf, table)
    return [page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf.output()))).pages]


def test_walkthrough_2026_12_06_a_heading_row_never_ends_a_printed_page():
    """The papers gave an inriktningsmål's bedömning at the foot of a page and its indicators on the next. A
    table's heading row goes to the next page with the row under it, wherever on the page the table begins."""
    from domain.tables import Column, Table

    names = [("Mål A", "heading"), *((f"Indikator A{n}", "") for n in range(4)), ("Mål B", "heading"),
             ("Indikator B", ""), ("Summa", "total")]
    table = Table("Mål", (Column("name", "Namn", width=30),), tuple({"name": n} for n, _ in names),
                  tuple(e for _, e in names))
    moved = 0
    for start in range(120, 190, 2):
        pages = _printed_from(table, start)
        for text in pages:
            lines = [line for line in text.splitlines() if line.strip() and line != "Namn"]
            assert not lines or lines[-1] not in ("Mål A", "Mål B"), (start, pages)
        assert "".join(pages).count("Indikator") == 5 and "".join(pages).count("Mål") == 2
        moved += any(text.splitlines()[-1:] == ["Indikator A3"] for text in pages[:-1])
    assert moved  # a start where the page ended just before Mål B, which went to the next page with its row


def test_a_heading_row_never_ends_a_page_of_a_table_over_several_pages():
    """The rule of the walk of 2026-12-06 on a table printed over several pages: after the first page a heading
    moved to the next, no later page ends on one either."""
    from domain.tables import Column, Table

    names = [row for goal in range(30) for row in
             [(f"Mål {goal}", "heading"), *((f"Indikator {goal}.{n}", "") for n in range(goal % 4 + 1))]]
    table = Table("Mål", (Column("name", "Namn", width=30),), tuple({"name": n} for n, _ in names),
                  tuple(e for _, e in names))
    for start in (20, 105, 190):
        pages = _printed_from(table, start)
        assert len(pages) >= 3
        for text in pages:
            lines = [line for line in text.splitlines() if line.strip() and line != "Namn"]
            assert not lines or not lines[-1].startswith("Mål "), (start, lines[-3:])
        assert "".join(pages).count("Indikator") == sum(g % 4 + 1 for g in range(30))


def test_walk_2026_12_07_a_goal_with_indicators_and_initiativ_says_what_its_bedomning_counted(pack_and_papers):
    """The papers gave 3.2 "◐ Delvis uppfyllt" over its one indicator "✓ Uppfyllt", with no word of the initiativ
    off plan that the bedömning counted. A row under a goal with indicators and uppdrag or initiativ says them;
    slide 1's sentence in August, with nothing locked, gives the chance of the figure the 5 % rule will judge."""
    from domain import goals

    pack, papers = pack_and_papers
    goal = next(goal for goal in pack.goals if goal.name.startswith("3.2"))
    assert goal.indicators and goal.items and goal.assessment.value == goals.PARTLY
    table = goals.all_goals_table(pack.goals, pack.year, pack.month)
    names = [str(row["name"]) for row in table.rows]
    below = names[names.index(goal.name) + len(goal.indicators) + 1]
    assert below == ("Underlag utöver indikatorerna: 2 uppdrag och initiativ, 1 pågår enligt plan, 1 avviker från plan "
                     "(se Senaste kommentarer)")
    _, text = pdf_text(papers)
    assert "Underlag utöver indikatorerna" in squash(text)
    assert "Utan en låst version bedömer regeln om 5\u00a0% verksamheternas egen prognos (romben)" in \
        pack.screens[0].headline


def test_walk_2026_12_07_each_slides_page_has_the_slides_footer(pack_and_papers):
    """Third 2026-12-07 walk: the papers' placement page showed the controllers' volume forecast (98 922 against
    94 191 tkr) above a footer naming the period's forecast ("Preliminär statistisk prognos aug 2025"); slide 3's
    footer names its own source. Every slide's page now ends with the slide's footer, and the tables with the
    period's."""
    pack, papers = pack_and_papers
    reader, _ = pdf_text(papers)
    pages = [squash(page.extract_text()) for page in reader.pages]
    for number, screen in enumerate(pack.screens):
        assert squash(pack.footer(screen)) in pages[number], screen.key
    placements = next(s for s in pack.screens if s.key == "placeringar")
    assert "controllernas volymprognos aug 2025" in pack.footer(placements)
    assert "Preliminär statistisk prognos" not in pages[pack.screens.index(placements)]
    assert all(squash(pack.footer()) in page for page in pages[len(pack.screens):])
