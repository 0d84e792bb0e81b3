"""The goal structure through the importer (issue 20): målområde → inriktningsmål → indikatorer, their
values and the uppdrag/initiativ, with the same checks, preview and undo as every other file; the
controllers' notes kept in the database itself; Norrtälje's indicators and summary reproduced.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from data_access import goals as stored
from data_access import schema as s
from data_access.importer import ACCEPT_ALL, import_file, plan_import, revert_import
from domain import goals
from domain.access import CONTROLLER, READER, AccessDenied, Actor
from domain.goals import Target
from domain.tables import texts
from tests.data.test_import_safety import checksum, data_checksum

CONTROLLER_ACTOR = Actor("controller@kommun.se", CONTROLLER)

# Norrtälje's delårsrapport per augusti 2025 (seed 000, page 9–16), as a municipality would import it.
STRUCTURE = (
    "Målområde;Inriktningsmål;Indikator;Nivå;Enhet;Riktning;Ansvarig;Beräknad\n"
    "1 Ekonomi;1.1 En ekonomi i balans;Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);KF;procent;högre;"
    "Förvaltningskontoret;\n"
    "1 Ekonomi;1.2 En effektiv verksamhet;Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;KF;antal;"
    "lägre;Avdelningen för försörjning och arbete;\n"
)
VALUES = (
    "Indikator;År;Månad;Utfall;Mål;Prognos\n"
    "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);2022;;5,6 %;;\n"
    "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);2023;;6,2 %;;\n"
    "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);2024;;−4,1 %;;\n"
    "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);;2025-08;4,0 %;;\n"
    "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd);2025;;;0,0 %;1,0 %\n"
    "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2022;;578;;\n"
    "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2023;;534;;\n"
    "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2024;;448;;\n"
    "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;;2025-08;399;;\n"
    "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2025;;;480;450\n"
)
# The report's eleven uppdrag and initiativ (page 8): 3 uppdrag påbörjade enligt plan; 6 initiativ
# påbörjade, 4 enligt plan and 2 not; 2 slutförda, 1 and 1.
ITEMS = "Typ;Namn;Status;Plan\n" + "".join(
    f"{kind};{name};{status};{plan}\n" for kind, name, status, plan in [
        ("Uppdrag", "Socialtjänsten ska finnas i Hallstavik och i Rimbo", "Påbörjad", "Enligt plan"),
        ("Uppdrag", "Stödet till personer utsatta för våld i nära relation ska förbättras", "Påbörjad", "Enligt plan"),
        ("Uppdrag", "Återinförande av 35-timmarsvecka för socionomer", "Påbörjad", "Enligt plan"),
        ("Nämndinitiativ", "Revidera gällande tjänstegarantier", "Påbörjad", "Enligt plan"),
        ("Nämndinitiativ", "Handlingsplan för tillgängligheten utanför Norrtälje stad", "Påbörjad", "Enligt plan"),
        ("Nämndinitiativ", "Kunskap om våld i ungas relationer", "Påbörjad", "Avvikelse från plan"),
        ("Nämndinitiativ", "Hållbarhetskrav i upphandlingar", "Påbörjad", "Enligt plan"),
        ("Nämndinitiativ", "Främja egenförsörjning", "Påbörjad", "Enligt plan"),
        ("Nämndinitiativ", "Insatser utan biståndsprövning", "Påbörjad", "Avvikelse från plan"),
        ("Nämndinitiativ", "Utveckla det systematiska kvalitetsarbetet", "Slutförd", "Enligt plan"),
        ("Nämndinitiativ", "Följa upp handlingsplanen mot välfärdsbrott", "Slutförd", "Avvikelse från plan"),
    ])


def load(engine, kind: str, content: str, name: str | None = None):
    return import_file(engine, kind, content.encode(), name or f"{kind}.csv", actor=CONTROLLER_ACTOR,
                       accept=ACCEPT_ALL)


def norrtalje(engine):
    for kind, content in (("indikatorer", STRUCTURE), ("indikatorvarden", VALUES), ("uppdrag", ITEMS)):
        assert load(engine, kind, content).ok
    structure, values, items = stored.structure(engine)
    return goals.build_goals(structure, values, items, stored.notes(engine), [], 2025, 8)


def test_a_value_from_before_the_cut_off_names_its_month_and_is_paced_by_it(engine):
    """2026-12-05 walkthrough: with September's utfall booked and the indicator file read to August, the
    tables said "Utfall sep 2025 68,0 %" of August's value, and the pace to the target was judged "efter 9
    månader". The value names its month on the page, in the PDF and in the workbook (still a number there),
    and the pace is judged after 8 months."""
    from domain.tables import workbook_cell

    for kind, content in (("indikatorer", STRUCTURE), ("indikatorvarden", VALUES), ("uppdrag", ITEMS)):
        assert load(engine, kind, content).ok
    structure, values, items = stored.structure(engine)
    built, _, _ = goals.build_goals(structure, values, items, stored.notes(engine), [], 2025, 9)
    assistance = next(i for g in built for i in g.indicators if i.stored_name.startswith("Vuxna biståndsmottagare"))
    assert assistance.through == 8 and assistance.month_value == 399
    table = goals.goal_indicators_table(built[1], 2025, 9)
    assert texts(table).iloc[0]["Utfall sep 2025"] == "399 (aug)"
    assert table.note.startswith("Utfall sep 2025: där indikatorns senaste värde är från en tidigare månad")
    column = next(c for c in table.columns if c.label == "Utfall sep 2025")
    assert workbook_cell(column, table.rows[0]["now"]) == (399, '#,##0" (aug)"')
    paced = goals.assess("lower", Target(480), month_value=399, month=assistance.through, baseline=448)
    assert "efter 8 månader" in paced.basis
    # At the cut-off of the values themselves nothing is added.
    at_august, _, _ = goals.build_goals(structure, values, items, stored.notes(engine), [], 2025, 8)
    same = goals.goal_indicators_table(at_august[1], 2025, 8)
    assert texts(same).iloc[0]["Utfall aug 2025"] == "399" and same.note == ""


def test_issue_20_norrtalje_indicators_get_the_reports_bedomning(engine):
    built, _, orphans = norrtalje(engine)
    by_name = {i.stored_name: i for g in built for i in g.indicators}
    adherence = by_name["Budgetföljsamhet (grad av budgetavvikelse i % per nämnd)"]
    assert adherence.yearly == pytest.approx({2022: 0.056, 2023: 0.062, 2024: -0.041})
    assert adherence.month_value == pytest.approx(0.04) and adherence.forecast == pytest.approx(0.01)
    assert adherence.target.value == 0.0 and adherence.assessment.value == goals.MET
    assert not adherence.computed
    assistance = by_name["Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd"]
    assert assistance.yearly == {2022: 578, 2023: 534, 2024: 448} and assistance.month_value == 399
    assert assistance.target.value == 480 and assistance.forecast == 450
    assert assistance.assessment.value == goals.MET and assistance.assessment.basis == "prognos 450 mot mål 480"
    table = goals.goal_indicators_table(built[1], 2025, 8)
    shown = goals.texts(table) if hasattr(goals, "texts") else None
    from domain.tables import texts

    row = texts(table).iloc[0]
    assert list(row[["Utfall 2022", "Utfall 2023", "Utfall 2024", "Utfall aug 2025", "Mål 2025", "Prognos 2025"]]) == \
        ["578", "534", "448", "399", "480", "450"]
    assert row["Bedömning"] == "✓ Uppfyllt" and shown is None
    adherence_row = texts(goals.goal_indicators_table(built[0], 2025, 8)).iloc[0]
    assert list(adherence_row[["Utfall 2022", "Utfall 2023", "Utfall 2024", "Utfall aug 2025", "Mål 2025"]]) == \
        ["5,6\u00a0%", "6,2\u00a0%", "−4,1\u00a0%", "4,0\u00a0%", "0,0\u00a0%"]
    # The report's "Sammanställning av nämndens uppdrag och initiativ".
    summary = goals.items_summary(goals.all_items(built, orphans))
    assert summary.to_dict("records") == [
        {"kind": "Uppdrag", "status": "Påbörjad", "on_plan": 3, "off_plan": 0, "total": 3},
        {"kind": "Nämndinitiativ", "status": "Påbörjad", "on_plan": 4, "off_plan": 2, "total": 6},
        {"kind": "Nämndinitiativ", "status": "Slutförd", "on_plan": 1, "off_plan": 1, "total": 2},
        {"kind": "Summa", "status": "", "on_plan": 8, "off_plan": 3, "total": 11}]


def test_issue_20_values_for_an_unknown_or_computed_indicator_are_refused_whole(engine):
    assert load(engine, "indikatorer", STRUCTURE + "1 Ekonomi;1.1 En ekonomi i balans;Prognosträff;Nämnd;procent;"
                "lägre;;5 % regeln\n").ok
    before = data_checksum(engine)
    typo = VALUES + "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistand;2021;;600;;\n"
    result = load(engine, "indikatorvarden", typo, "varden.csv")
    assert not result.ok and len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.row, problem.column) == (12, "indikator")
    assert 'menade du "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd"?' in str(problem)
    computed = load(engine, "indikatorvarden", "Indikator;År;Utfall\nPrognosträff;2024;3,2\n", "rule.csv")
    assert not computed.ok and "beräknas av panelen själv" in str(computed.problems[0])
    assert str(computed.problems[0]).startswith('rule.csv, rad 2, kolumn "Indikator"')
    assert data_checksum(engine) == before


def test_issue_20_bad_cells_are_named_by_row_column_and_value(engine):
    assert load(engine, "indikatorer", STRUCTURE).ok
    bad = ("Indikator;År;Mål från;Mål till\n"
           "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2025;500;\n"
           "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd;2026;500;400\n")
    result = load(engine, "indikatorvarden", bad, "band.csv")
    assert [(p.row, p.column) for p in result.problems] == [(2, "mal_till"), (3, "mal_till")]
    wrong = load(engine, "indikatorer", STRUCTURE.replace(";KF;procent;högre;", ";KF;procent;uppåt;"), "s.csv")
    assert not wrong.ok and wrong.problems[0].column == "riktning" and wrong.problems[0].value == "uppåt"
    assert "tillåtna: higher" not in str(wrong.problems[0])  # the Swedish words are offered, not the stored codes
    items = load(engine, "uppdrag", "Typ;Namn;Status;Plan;Datum\nUppdrag;X;Påbörjad;Enligt plan;31/8 2025\n", "u.csv")
    assert not items.ok and items.problems[0].column == "datum" and "ÅÅÅÅ-MM-DD" in items.problems[0].message


def test_issue_20_a_goal_import_is_previewed_and_undone_like_any_other(engine):
    assert load(engine, "indikatorer", STRUCTURE).ok
    first = load(engine, "indikatorvarden", VALUES)
    assert first.ok
    changed = VALUES.replace("2025;;;480;450", "2025;;;480;470")
    plan = plan_import(engine, "indikatorvarden", changed.encode(), "ny.csv")
    assert plan.ok and [c.code.split(":")[0] for c in plan.cautions] == ["andrade"]
    assert "470" in plan.cautions[0].detail
    before = checksum(engine)["goal_values"]
    second = load(engine, "indikatorvarden", changed)
    assert second.ok and checksum(engine)["goal_values"] != before
    undone = revert_import(engine, second.import_id, actor=CONTROLLER_ACTOR, reason="fel prognos")
    assert undone.ok, undone.message
    assert checksum(engine)["goal_values"] == before


def test_issue_20_notes_override_with_a_dated_comment_and_are_kept_in_the_database(engine):
    built, _, _ = norrtalje(engine)
    name = "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd"
    with pytest.raises(stored.GoalNoteError, match="Skriv en kommentar"):
        stored.add_note(engine, actor=CONTROLLER_ACTOR, level="indikator", name=name, year=2025, comment="  ",
                        assessment=goals.PARTLY)
    with pytest.raises(AccessDenied):
        stored.add_note(engine, actor=Actor("politiker", READER), level="indikator", name=name, year=2025,
                        comment="x", assessment=goals.PARTLY)
    with pytest.raises(stored.GoalNoteError, match="finns inte"):
        stored.add_note(engine, actor=CONTROLLER_ACTOR, level="mal", name="9.9 Okänt", year=2025, comment="x")
    stored.add_note(engine, actor=CONTROLLER_ACTOR, level="indikator", name=name, year=2025,
                    comment="Inflödet ökar under hösten", assessment=goals.PARTLY)
    stored.add_note(engine, actor=CONTROLLER_ACTOR, level="mal", name="1.2 En effektiv verksamhet", year=2025,
                    comment="Bedöms nås trots inflödet", assessment=goals.MET)
    stored.add_note(engine, actor=CONTROLLER_ACTOR, level="uppdrag", name="Främja egenförsörjning", year=2025,
                    comment="Slutrapport i oktober", status="Slutförd")
    structure, values, items = stored.structure(engine)
    notes = stored.notes(engine)
    built, _, orphans = goals.build_goals(structure, values, items, notes, [], 2025, 8)
    indicator = built[1].indicators[0]
    assert indicator.assessment.value == goals.PARTLY and indicator.suggested.value == goals.MET
    assert indicator.comment == "Inflödet ökar under hösten" and len(indicator.comment_date) == 10
    assert "controller@kommun.se" in indicator.assessment.basis
    assert built[1].assessment.value == goals.MET and built[1].suggested.value == goals.PARTLY
    assert next(t for t in orphans if t.name == "Främja egenförsörjning").status == "Slutförd"
    # Another year is not touched by this year's notes.
    other, _, _ = goals.build_goals(structure, values, items, notes, [], 2024, 8)
    assert other[1].indicators[0].suggested is None
    history = goals.history_table(notes)
    assert [r["change"] for r in history.rows] == ["status: importen → Slutförd", "bedömning: regeln → Uppfyllt",
                                                   "bedömning: regeln → Delvis uppfyllt"]
    with engine.connect() as connection:
        trail = connection.execute(select(func.count()).select_from(s.audit_log)
                                   .where(s.audit_log.c.action == "målbedömning sparad")).scalar()
    assert trail == 3
    # Kept in the database itself: raw SQL cannot change or remove a note.
    for statement in ("UPDATE goal_notes SET comment = 'ändrad'", "DELETE FROM goal_notes"):
        with pytest.raises(DBAPIError):
            with engine.begin() as connection:
                connection.execute(text(statement))
    assert len(stored.notes(engine)) == 3


def test_issue_20_the_sample_goal_structure(sample_url):
    from data_access.engine import make_engine

    engine = make_engine(sample_url)
    structure, values, items = stored.structure(engine)
    built, _, orphans = goals.build_goals(structure, values, items, pd.DataFrame(), [], 2025, 8)
    engine.dispose()
    assert len(built) == 10 and len({g.area for g in built}) == 6
    assert len(items) == 11 and set(structure["origin"]) == {"KF", "Nämnd"}
    missed = [g.name for g in built if g.assessment.value == goals.NOT_MET]
    assert missed == ["7.3 Rätt insats ska ges i rätt tid och av rätt aktör"]


def test_issue_20_the_data_page_preview_counts_goal_rows(engine):
    """The preview of a goal file shows rows per key (there is no amount to sum), with Swedish headers."""
    from ui.import_panel import effect_frame

    assert load(engine, "indikatorer", STRUCTURE).ok
    plan = plan_import(engine, "indikatorvarden", VALUES.encode(), "varden.csv")
    shown = effect_frame(plan)
    assert list(shown.columns) == ["Period", "Indikator", "Rader nu", "Rader efter"]
    assert set(shown["Period"]) == {"2022", "2023", "2024", "2025", "aug 2025"}
    structure = effect_frame(plan_import(engine, "uppdrag", ITEMS.encode(), "u.csv"))
    assert list(structure.columns) == ["Namn", "Rader nu", "Rader efter"] and len(structure) == 11


def test_a_comment_written_on_several_lines_keeps_them_on_both_databases(engine):
    """2026-12-05 note: a comment typed on three lines ("Orsak: …", "Åtgärd: …") was saved and shown on one.
    Its lines are kept (blank lines and spaces at their ends left out) and shown under each other on the page."""
    from domain.markup import escape_lines

    norrtalje(engine)
    stored.add_note(engine, actor=CONTROLLER_ACTOR, level="mal", name="1.2 En effektiv verksamhet", year=2025,
                    comment="Orsak:  fler ansökningar \r\n\r\n- Åtgärd: nytt arbetssätt\n", assessment=goals.MET)
    comment = stored.notes(engine)["comment"].iloc[-1]
    assert comment == "Orsak: fler ansökningar\n- Åtgärd: nytt arbetssätt"
    assert escape_lines(comment) == "Orsak&#58; fler ansökningar  \n&#45; Åtgärd&#58; nytt arbetssätt"
    with pytest.raises(stored.GoalNoteError, match="osynligt tecken"):
        stored.add_note(engine, actor=CONTROLLER_ACTOR, level="mal", name="1.2 En effektiv verksamhet", year=2025,
                        comment="rad ett\nrad\u200btvå", assessment=goals.MET)
    with pytest.raises(stored.GoalNoteError, match="högst 2000 tecken"):
        stored.add_note(engine, actor=CONTROLLER_ACTOR, level="mal", name="1.2 En effektiv verksamhet", year=2025,
                        comment="x" * 1000 + "\n" + "y" * 1000, assessment=goals.MET)
