"""No name a user types becomes markup, a link, an image or a formula: every page, nämndläge and the
meeting papers with hostile text in every master-data field (issue 17)."""

import datetime as dt
import html
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from data_access import schema as s
from data_access.dataset import set_municipality
from data_access.engine import make_engine
from data_access.forecast_versions import save_version
from data_access.scenarios import save_scenario
from domain.access import ADMIN, CONTROLLER, Actor
from domain.markup import escape, formula_like
from tests.forecasting.test_views_and_versions import line
from tests.pages.tabs import every_tab
from tests.pages.test_pages import PAGES

IMAGE = "![px](http://host/p.png)"
LINK = '<a href="http://x">x</a>'
FORMULA = '=HYPERLINK("http://evil","x")'
HOSTILE = [IMAGE, LINK, FORMULA, "[länk](http://host/l) www.evil.se", "<img src=http://host/i.png>", "+1-2",
           "@SUM(A1)", "- lista **fet** `kod` $x$ :red[röd]"]
MUNICIPALITY = f"{FORMULA} {IMAGE}"
OVERRIDE = "\u202e"  # right-to-left override
AUTHOR = f"{LINK}@kommun.se"
# What must never reach the browser unescaped: Markdown images and links, HTML tags, bare addresses
# (GFM turns those into links by itself).
LEAK = re.compile(r"!\[|\]\(|<a[\s>]|<img|https?://|www\.", re.IGNORECASE)
# GFM also links a bare address found in the decoded text.
AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]@[-\w]", re.IGNORECASE)


def rename(connection, columns: list[tuple[str, str]], old: str, new: str) -> None:
    for table, column in columns:
        connection.execute(text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"), {"new": new, "old": old})


def hostile_database(url: str) -> None:
    """The sample with hostile names in every master-data field, a saved version and a meeting scenario."""
    engine = make_engine(url)
    with engine.begin() as connection:
        activities = connection.execute(text("SELECT name FROM activities ORDER BY sort_order")).scalars().all()
        for number, old in enumerate(activities[:len(HOSTILE)]):
            rename(connection, [("activities", "name"), ("actuals", "activity"), ("budgets", "activity"),
                                ("forecasts_manual", "activity")], old, HOSTILE[number])
        connection.execute(text("UPDATE activities SET area = :area"), {"area": LINK})
        # Without its own forecast the verksamhet is named in the "Prognos saknas för …" caption.
        connection.execute(text("DELETE FROM forecasts_manual WHERE activity = :name"), {"name": IMAGE})
        categories = connection.execute(text("SELECT name FROM categories ORDER BY sort_order")).scalars().all()
        for number, old in enumerate(categories[:4]):
            rename(connection, [("categories", "name"), ("volumes", "category"), ("volume_budgets", "category"),
                                ("volume_forecasts", "category")], old, f"{HOSTILE[number]} kategori")
        connection.execute(text("UPDATE categories SET client_group = :group WHERE sort_order % 2 = 0"),
                           {"group": IMAGE})
        connection.execute(text("UPDATE categories SET unit = :unit WHERE name = :name"),
                           {"unit": "<b>dygn</b>", "name": f"{HOSTILE[1]} kategori"})
        for column, table_columns in (("unit", [("sick_leave", "unit"), ("staff_turnover", "unit")]),
                                      ("occupation", [("sick_leave", "occupation"), ("staff_turnover", "occupation")]),
                                      ("gender", [("sick_leave", "gender")]),
                                      ("age_group", [("sick_leave", "age_group")])):
            values = connection.execute(text(f"SELECT DISTINCT {column} FROM sick_leave ORDER BY {column}")).scalars()
            for number, old in enumerate(list(values)[:3]):
                rename(connection, table_columns, old, f"{HOSTILE[(number + 2) % len(HOSTILE)]} {column}")
        # The goal structure (issue 20): goal, målområde, indicator, uppdrag and ansvarig as typed by someone.
        goals = connection.execute(text("SELECT DISTINCT goal FROM goal_indicators ORDER BY goal")).scalars().all()
        for number, old_goal in enumerate(goals[:3]):
            rename(connection, [("goal_indicators", "goal"), ("goal_items", "goal")], old_goal,
                   f"{number + 1}.9 {HOSTILE[number]}")
        connection.execute(text("UPDATE goal_indicators SET area = :area, responsible = :who"),
                           {"area": LINK, "who": IMAGE})
        indicators = connection.execute(text("SELECT name FROM goal_indicators WHERE computed = '' ORDER BY name")
                                        ).scalars().all()
        rename(connection, [("goal_indicators", "name"), ("goal_values", "indicator")], indicators[0], FORMULA)
        connection.execute(text("UPDATE goal_items SET comment = :comment, responsible = :who"),
                           {"comment": "[länk](http://host/l)", "who": LINK})
        # Jämförelse (issue 21): kommun names from a Kolada file and the group's name as a controller typed it.
        connection.execute(text("UPDATE kolada_values SET name = :name WHERE municipality = '9002'"), {"name": LINK})
        connection.execute(text("UPDATE kolada_values SET name = :name WHERE municipality = '9003'"), {"name": IMAGE})
        connection.execute(text("UPDATE dataset_info SET value = :name WHERE key = 'kolada_group_name'"),
                           {"name": f"{FORMULA} {IMAGE}"})
        # A new data version, so that every cache is fresh.
        connection.execute(s.import_log.insert().values(
            imported_at=dt.datetime.now(dt.timezone.utc), kind="register", file_name="namn", content_sha256="",
            rows=0, outcome="registerändring"))
    set_municipality(engine, Actor("ada", ADMIN), MUNICIPALITY)
    author = Actor(AUTHOR, CONTROLLER)
    save_version(engine, name=f"{IMAGE} version", year=2025, cutoff_month=8, data_version=1, actor=author,
                 lines=[line(HOSTILE[0], comment=LINK), line(HOSTILE[2], comment=FORMULA)], note=IMAGE)
    scenario, _ = save_scenario(engine, actor=author, name=f"{LINK} scenario", year=2025, cutoff_month=8,
                                base_label=IMAGE, for_meeting=True,
                                assumptions={"categories": {f"{HOSTILE[0]} kategori": {
                                    "days_pct": 5, "placements": -1, "from_month": 10, "price_pct": 0}}})
    # A direction override stored before typed names were checked for it (2026-12-05 walk with hostile names:
    # it turned the rest of every sentence that named it backwards).
    with engine.begin() as connection:
        connection.execute(text("UPDATE scenarios SET name = :name WHERE id = :id"),
                           {"name": f"{LINK} scenario {OVERRIDE}abc", "id": scenario})
    engine.dispose()


@pytest.fixture
def hostile_url(sample_url):
    hostile_database(sample_url)
    return sample_url


def shown_texts(at) -> list[str]:
    """Everything AppTest sees rendered as Markdown: bodies, labels, metric values and table cells."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [element.value for element in at.get(kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    for table in at.table:
        frame = table.value
        texts += [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return texts


def chart_specs(at) -> list[str]:
    return [element.proto.spec for element in at.get("plotly_chart")]


def assert_inert(at, where: str) -> str:
    assert not at.exception, (where, [e.value for e in at.exception])
    assert not at.error, (where, [e.value for e in at.error])
    leaks = [t for t in shown_texts(at) if LEAK.search(t) or AUTOLINK.search(html.unescape(t)) or OVERRIDE in t]
    assert leaks == [], where
    for spec in chart_specs(at):
        assert not re.search(r"<a[\s>]|<img|<b>|https?://|\u202e", spec, re.IGNORECASE), where
    return "\n".join(shown_texts(at) + chart_specs(at))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_names_as_text(app_test, hostile_url, page):
    """Regression for issue 17, finding 4: a verksamhet named ![px](http://host/p.png) was rendered as an image
    (caption and driftredovisning) and <a href> in a name became a chart link."""
    at = app_test(page, hostile_url).run()
    everything = assert_inert(at, page)
    if page == "pages/1_Budget_mot_utfall.py":
        # The driftredovisning is a grid, which renders no Markdown: the names stand in it as they are.
        cells = "\n".join(str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel())
        assert IMAGE in cells and LINK in cells
        assert any(escape(IMAGE) in t.value for t in at.caption if t.value.startswith("Prognos saknas"))
    if page == "app.py":
        assert escape(MUNICIPALITY) in everything
    if page == "pages/4_Sjukfranvaro.py":  # text typed on the page is shown back as text too
        at.text_input(key="sick_national").set_value(IMAGE).run()
        assert any(escape(IMAGE) in w.value for w in at.warning)
        assert_inert(at, "rikssnitt")
    for label, shown in every_tab(at):  # a tab is drawn only when chosen
        everything += assert_inert(shown, f"{page}, fliken {label}")
    if page == "pages/2_Prognos.py":  # the saved versions are listed under Spara version
        assert escape(f"{IMAGE} version") in everything


def test_namndlage_shows_hostile_names_as_text(app_test, hostile_url):
    at = app_test("app.py", hostile_url)
    at.query_params["namndlage"] = "1"
    at.run()
    screens = int(re.search(r"Bild 1 av (\d+)", "\n".join(m.value for m in at.markdown)).group(1))
    for number in range(1, screens + 1):
        at.query_params["skarm"] = str(number)
        at.run()
        assert_inert(at, f"skärm {number}")
    # the last screen, the scenario, its override shown as its code
    assert escape(f"{LINK} scenario \\u202eabc") in "\n".join(m.value for m in at.markdown)


def test_meeting_papers_hold_no_formula_or_link(hostile_url, monkeypatch):
    """Regression for issue 17, finding 3: after `kommun '=HYPERLINK(...)'` cell A1 of every sheet was a formula."""
    monkeypatch.setenv("DATABASE_URL", hostile_url)
    from reports.papers import build
    from ui import state

    key = state.db_key()
    pack = state.meeting_pack(key, state.scenarios_key(), 2025, 8, state.versions_key())
    papers = build(pack, state.import_log(key), trail=state.audit_entries())
    assert papers.warnings == []  # every chart drawn: a name is never read as markup by matplotlib either
    workbook = load_workbook(io.BytesIO(papers.xlsx))
    hostile_cells = 0
    for sheet in workbook.worksheets:
        assert sheet["A1"].value.startswith(FORMULA) and sheet["A1"].data_type == "s", sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if formula_like(cell.value):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    hostile_cells += 1
    assert hostile_cells > len(workbook.worksheets)  # the names reached the sheets, as text
    reader = PdfReader(io.BytesIO(papers.pdf))
    for page in reader.pages:
        links = [a.get_object() for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
        assert links == []
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f'Prognosversion "{IMAGE} version"' in pdf and "kontrollsumma" in pdf
    assert OVERRIDE not in pdf and f"{LINK} scenario \\u202eabc" in pdf
