"""The Data page verifies the audit chain, and a saved version's checksum is shown and printed (issue 17)."""

import html
import io

from openpyxl import load_workbook
from sqlalchemy import text

from data_access.engine import make_engine
from data_access.forecast_versions import list_versions, save_version
from domain.access import CONTROLLER, Actor
from domain.integrity import short
from tests.forecasting.test_views_and_versions import line
from tests.pages.test_pages import frame_with
from tests.pages.tabs import open_tab


def test_data_page_says_whether_the_chain_holds_and_where_it_breaks(app_test, sample_url):
    at = app_test("pages/9_Data.py", sample_url).run()
    assert not at.exception
    # Thirteen sample files imported and six delårsrapporter 2 locked.
    assert any("Granskningsloggen är obruten (19 poster)" in s.value for s in at.success)
    with make_engine(sample_url).begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET user_name = 'någon annan' WHERE id = 3"))
    at.run()
    # The post no longer matches its hash, and no longer names the user the import log has for import nr 3.
    assert any("Granskningen hittade 2 ändringar " in e.value for e in at.error)
    assert any("post 3: innehållet stämmer inte med kontrollsumman" in html.unescape(m.value) for m in at.markdown)
    assert any("Import nr 3: importloggen" in html.unescape(m.value) for m in at.markdown)


def test_a_saved_version_shows_its_checksum_on_the_page_and_in_the_papers(app_test, sample_url, monkeypatch):
    engine = make_engine(sample_url)
    save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("anna", CONTROLLER), lines=[line()])
    saved = list_versions(engine)
    digest = saved[saved["name"] == "Prognos delår 2 2025"].iloc[0]["content_sha256"]
    assert len(digest) == 64
    at = open_tab(app_test("pages/2_Prognos.py", sample_url).run(), "prognos_tab", "Spara version")
    assert not at.exception
    listing = frame_with(at, "Kontrollsumma").set_index("Version")
    assert listing.loc["Prognos delår 2 2025", "Kontrollsumma"] == short(digest) and len(short(digest)) == 12

    monkeypatch.setenv("DATABASE_URL", sample_url)
    from reports.papers import build
    from ui import state

    key = state.db_key()
    chain = state.audit_chain()
    papers = build(state.meeting_pack(key, state.scenarios_key(), 2025, 8, state.versions_key()), chain=chain)
    about = {row[0]: row[1] for row in load_workbook(io.BytesIO(papers.xlsx))["Om rapporten"].iter_rows(
        min_row=2, values_only=True)}
    assert about["Prognosversion"].startswith('Prognosversion "Prognos delår 2 2025", sparad ')
    assert f"kontrollsumma {short(digest)}" in about["Prognosversion"]
    assert about["Granskningslogg"] == (f"Granskningsloggen när papperen skapades: 20 poster, senaste kontrollsumma "
                                        f"{short(chain.head)}, som revisionen kan jämföra med databasen.")
    # 2026-12-05 walkthrough: the nämnd's papers named a command line; they say what the checksum is for.
    assert "python -m" not in about["Granskningslogg"] + about["Prognosversion"]


def test_audit_walk_2026_12_07_a_version_inserted_with_sql_is_left_out_and_said_on_every_page(app_test, sample_url):
    """A version inserted past the panel, dated after the real one, became Prognos's helårsprognos and the papers'
    "periodens helårsprognos" without a word. It is left out, and every page says so with what to do."""
    from sqlalchemy import insert, select

    from data_access import schema as s

    engine = make_engine(sample_url)
    save_version(engine, name="Delårsrapport 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("kalle@kommun.se", CONTROLLER), lines=[line("A")])
    with engine.begin() as connection:
        header = dict(connection.execute(select(s.forecast_versions).order_by(s.forecast_versions.c.id.desc())
                                         .limit(1)).mappings().one())
        forged = connection.execute(insert(s.forecast_versions).values(
            {**{k: v for k, v in header.items() if k not in ("id", "content_sha256")},
             "name": "Delårsrapport 2 2025 rättad", "author": "ekonomichef"}).returning(s.forecast_versions.c.id)
        ).scalar_one()
        connection.execute(insert(s.forecast_version_lines).values(
            version_id=forged, activity="A", method="m", params="{}", actual_ytd_kr=0, point_kr=-9_000_000_000,
            p10_kr=0, p50_kr=0, p90_kr=0, comment=""))
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert not at.exception
    [error] = [html.unescape(e.value) for e in at.error]
    assert error.startswith('En sparad prognosversion klarar inte granskningen och används varken på sidorna eller i '
                            'mötespapperen: Prognosversion "Delårsrapport 2 2025 rättad"')
    assert "Skicka inga mötespapper förrän det är utrett" in error
    said = next(m.value for m in at.markdown if 'class="np-headline"' in m.value)
    assert "Delårsrapport 2 2025" in said and "rättad" not in said
