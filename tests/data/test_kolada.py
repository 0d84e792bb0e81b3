"""Kolada: the client against a local server replaying recorded answers in Kolada's documented format
(paging, an error status, a timeout, an unreachable server, a hostile answer), the fetch as an import with
its undo, and a saved answer or a kolada.se file through the same import as every other file (issue 21)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from data_access import kolada, queries
from data_access import schema as s
from data_access.engine import make_engine, migrate
from data_access.files import FileReadError, read_kolada_json
from data_access.importer import ACCEPT_ALL, import_file, plan_import, plan_text, revert_import
from domain.access import CONTROLLER, LOCAL, READER, AccessDenied, Actor
from tests.data.test_import_safety import data_checksum

RECORDED = Path(__file__).parent / "kolada"
CONTROLLER_ACTOR = Actor("controller@kommun.se", CONTROLLER)


class Recorded(BaseHTTPRequestHandler):
    """Answers by the first path segment: /ok/v3/…, /flaky/v3/… (503 on each path's first request),
    /down/… (always 500), /slow/… (waits), /junk/… (not JSON), /away/… (a next page on another host),
    /gone/… (404)."""

    seen: dict[str, int] = {}

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (the timeout test)
            pass

    def do_GET(self) -> None:
        mode, _, rest = self.path.lstrip("/").partition("/")
        base = f"http://127.0.0.1:{self.server.server_address[1]}/{mode}/v3"
        Recorded.seen[self.path] = Recorded.seen.get(self.path, 0) + 1
        if mode == "down" or (mode == "flaky" and Recorded.seen[self.path] == 1):
            return self._send(503 if mode == "flaky" else 500, b"<html>fel</html>", "text/html")
        if mode == "slow":
            time.sleep(1.5)
        if mode == "junk":
            return self._send(200, b"<html>inte json</html>", "text/html")
        if mode == "gone":  # an API version that no longer exists
            return self._send(404, b'{"error": "not found"}')
        if "/data/" in rest:
            page = "data_page2.json" if "page=2" in rest else "data_page1.json"
            body = (RECORDED / page).read_text().replace("{base}", base)
            if mode == "away":
                body = body.replace(base, "http://elsewhere.example/v3")
            return self._send(200, body.encode())
        if "/kpi/" in rest:
            return self._send(200, (RECORDED / "kpi.json").read_bytes())
        if "/municipality_groups/" in rest:
            return self._send(200, (RECORDED / "group.json").read_bytes())
        if "/municipality/" in rest:
            return self._send(200, (RECORDED / "municipality.json").read_bytes())
        return self._send(404, b'{"error": "not found"}')


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def client(server: str, mode: str = "ok", **options) -> kolada.Client:
    waits: list[float] = []
    made = kolada.Client(f"{server}/{mode}/v3", sleep=waits.append, **options)
    made.waits = waits
    return made


def test_issue_21_the_client_follows_every_page_and_keeps_the_answers(server):
    fetched = client(server)
    entries = fetched.values(["N31001"], ["0188", "0114", "0000"], [2024])
    assert [e["municipality"] for e in entries] == ["0188", "0114", "0000"]
    assert fetched.requests == 2  # the first page and the one its next_url named


def test_issue_21_a_temporary_error_is_tried_again_after_a_pause(server):
    Recorded.seen.clear()
    fetched = client(server, "flaky", backoff=0.5)
    assert len(fetched.values(["N31001"], ["0188"], [2024])) == 3
    assert fetched.waits == [0.5, 0.5]  # one retry per page, after 0,5 s


def test_issue_21_an_error_status_is_refused_in_swedish_after_the_retries(server):
    fetched = client(server, "down", retries=3, backoff=1.0)
    with pytest.raises(kolada.KoladaError) as refused:
        fetched.values(["N31001"], ["0188"], [2024])
    message = str(refused.value)
    assert "Kolada svarade med fel 500" in message and "efter 4 försök" in message
    # The server, not the whole address of a few hundred characters (walkthrough).
    assert "/v3/" not in message and len(message) < 200
    assert "läs in en fil som sparats från Kolada på sidan Data" in message
    assert fetched.waits == [1.0, 2.0, 4.0]  # exponential back-off


def test_issue_21_an_unknown_address_is_not_retried(server):
    fetched = client(server, "ok")
    with pytest.raises(kolada.KoladaError, match="fel 404.*adressen finns inte"):
        fetched._pages(f"{server}/ok/v3/okand")
    assert fetched.waits == []


def test_issue_21_a_server_that_does_not_answer_in_time_is_given_up(server):
    fetched = client(server, "slow", timeout=0.3, retries=1, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(kolada.KoladaError, match=r"Kolada svarade inte inom 0,3 sekunder .* efter 2 försök"):
        fetched.values(["N31001"], ["0188"], [2024])
    assert time.monotonic() - started < 5


def test_issue_21_an_unreachable_server_is_said_in_swedish():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    fetched = kolada.Client(f"http://127.0.0.1:{port}/v3", retries=2, sleep=lambda _: None, timeout=1)
    with pytest.raises(kolada.KoladaError, match="Kolada gick inte att nå från servern.*efter 3 försök"):
        fetched.values(["N31001"], ["0188"], [2024])


def test_issue_21_an_answer_that_is_not_koladas_is_refused(server):
    with pytest.raises(kolada.KoladaError, match="inte är JSON"):
        client(server, "junk", retries=0).values(["N31001"], ["0188"], [2024])
    with pytest.raises(kolada.KoladaError, match="oväntad adress"):
        client(server, "away").values(["N31001"], ["0188"], [2024])


def test_issue_21_a_group_is_read_with_its_members(server):
    group = client(server).group("G36535")
    assert group.title == "Liknande kommuner IFO, Norrtälje, 2024"
    assert [m for m, _ in group.members] == ["0114", "0117", "0188"]
    with pytest.raises(kolada.KoladaError, match="ingen kommungrupp med id G1"):
        client(server).group("G1")


def test_issue_21_a_fetch_is_an_import_with_its_source_and_undo(db_url, server):
    engine = make_engine(db_url)
    migrate(engine)
    with pytest.raises(kolada.SettingsError, match="Ange kommunens id"):
        kolada.fetch(engine, CONTROLLER_ACTOR, client(server), ["N31001"], [2024])
    group = client(server).group("G36535")
    saved = kolada.save_settings(engine, CONTROLLER_ACTOR, municipality="188", group=[m for m, _ in group.members],
                                 group_name=group.title, group_id=group.id)
    assert saved.municipality == "0188" and saved.group == ("0114", "0117")  # our own kommun is not its own peer
    with pytest.raises(AccessDenied):
        kolada.save_settings(engine, Actor("läsare", READER), municipality="0188", group=["0114"], group_name="x")
    before, info_before = data_checksum(engine), queries.dataset_info(engine)
    result = kolada.fetch(engine, CONTROLLER_ACTOR, client(server), ["N31001"], [2024])
    assert result.ok and result.rows_written == 3, result.message
    stored = kolada.stored_values(engine).set_index("municipality")
    assert stored.loc["0188", "value"] == 1552.0 and stored.loc["0000", "value"] == 1311.0  # the total, not K or M
    assert stored.loc["0188", "name"] == "Norrtälje" and stored.loc["0000", "name"] == "Riket"
    assert stored["source"].str.startswith("Kolada API ").all() and stored["fetched_at"].notna().all()
    # Kolada's own title and publication date of each KPI are kept with the fetch.
    assert kolada.described_kpis(engine)["N31001"] == {"title": "Kostnad ekonomiskt bistånd, kr/inv",
                                                        "published": "2025-04-29"}
    revert_import(engine, result.import_id, actor=CONTROLLER_ACTOR, reason="hämtades för tidigt")
    after = data_checksum(engine)
    # Undone, every table is as before; Kolada's description of its KPIs (a catalogue, not data) is kept.
    assert {k: v for k, v in after.items() if k != "dataset_info"} == {
        k: v for k, v in before.items() if k != "dataset_info"}
    assert set(queries.dataset_info(engine)) - {"kolada_kpis"} == set(info_before)
    engine.dispose()


def test_issue_21_a_saved_answer_is_read_as_the_kolada_format():
    table = read_kolada_json((RECORDED / "data_page2.json").read_bytes(), "svar.json")
    assert table.rows == [(2, ["N31001", "0000", "", "2024", "1311.0", "T"])]
    for content, expected in ((b"{", "rad 1, tecken 2: filen är inte giltig JSON (filen slutar mitt i svaret)"),
                              (b"{1}", "rad 1, tecken 2: filen är inte giltig JSON (ett fältnamn inom citattecken"),
                              (b'{"count": 1}', 'listan "values" saknas'),
                              (b'{"values": [1]}', "post 1 i values: posten är inget objekt"),
                              (("[" * 5000 + "]" * 5000).encode(), "för djupt nästlad"),
                              (b"\xff\xfe{", "inte UTF-8-kodad")):
        with pytest.raises(FileReadError, match=re.escape(expected)):
            read_kolada_json(content, "svar.json")


def test_issue_21_a_bad_row_refuses_the_file_with_file_row_column_and_value(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    before = data_checksum(engine)
    answer = json.loads((RECORDED / "data_page1.json").read_text())
    answer["values"][1]["municipality"] = "Väsby"
    result = import_file(engine, "kolada", json.dumps(answer).encode(), "svar.json", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and data_checksum(engine) == before
    assert [str(p) for p in result.problems] == [
        'svar.json, rad 3, kolumn "Kommun-id": "Väsby" är ingen kommunkod i Kolada (fyra siffror, till exempel '
        "0188; riket är 0000)"]
    split = "KPI;Kommun-id;Kommun;År;Värde;Kön\nN31001;0188;Norrtälje;2024;1552;K\n"
    result = import_file(engine, "kolada", split.encode(), "kolada.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and "panelen jämför värdet för alla (kön T)" in str(result.problems[0])
    result = import_file(engine, "kolada", "KPI;Kommun-id;År;Värde\nN31001;188;2024;1 552\n".encode(), "kolada.csv",
                         actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok
    with engine.connect() as connection:
        assert connection.execute(select(s.kolada_values.c.municipality, s.kolada_values.c.value)).all() == [
            ("0188", 1552.0)]
    engine.dispose()


def test_issue_21_the_preview_of_a_kolada_file_counts_values_per_kpi(sqlite_url):
    engine = make_engine(sqlite_url)
    migrate(engine)
    content = (Path(__file__).resolve().parents[2] / "sample_data" / "kolada.csv").read_bytes()
    plan = plan_import(engine, "kolada", content, "kolada.csv")
    kpis = sorted(plan.effect["kpi"])
    assert kpis == sorted({record["kpi"] for record in plan.records})
    assert list(plan.effect.columns[:1]) == ["kpi"] and plan.effect["rows_after"].sum() == len(plan.records)
    assert "Ändring per nyckel:" in plan_text(plan) and "N30005: rader 0 → " in plan_text(plan)
    engine.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
                             lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                                 st.sampled_from(["values", "kpi", "municipality", "period", "value", "gender",
                                                  "next_url", "x"]), inner, max_size=5), max_leaves=30))
def test_issue_21_any_answer_is_read_or_refused_in_swedish(document):
    """Whatever JSON a file or the API holds, the reader gives rows or a Swedish FileReadError, nothing else."""
    try:
        table = read_kolada_json(json.dumps(document).encode(), "svar.json")
    except FileReadError as error:
        assert str(error).startswith("svar.json: ") and "Error" not in str(error)
    else:
        assert table.headers[:2] == ["kpi", "municipality"]
        assert all(len(cells) == 6 for _, cells in table.rows)


def test_issue_21_the_command_line_sets_up_the_group_and_fetches(sqlite_url, server, monkeypatch, capsys):
    from data_access.__main__ import main

    monkeypatch.setenv("NAMNDPANELEN_KOLADA_URL", f"{server}/ok/v3")
    assert main(["--databas", sqlite_url, "kolada", "installningar", "--kommun", "0188", "--grupp", "G36535"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Kommunen 0188 jämförs med Liknande kommuner IFO, Norrtälje, 2024 (0114, 0117).")
    engine = make_engine(sqlite_url)
    kolada.save_settings(engine, LOCAL, municipality="0188", group=["0114"], group_name="Grannar",
                         scope=["Ekonomiskt bistånd"])
    # What is not given on the command line is kept: the group's name and the verksamheter chosen.
    assert main(["--databas", sqlite_url, "kolada", "installningar", "--kommun", "0188", "--kommuner", "0114,0120"]) == 0
    kept = kolada.settings(engine)
    assert (kept.group, kept.group_name, kept.scope) == (("0114", "0120"), "Grannar", ("Ekonomiskt bistånd",))
    assert main(["--databas", sqlite_url, "kolada", "installningar", "--kommun", "0188", "--grupp", "X123"]) == 1
    assert '"X123" är inget id för en kommungrupp i Kolada' in capsys.readouterr().err
    engine.dispose()
    assert main(["--databas", sqlite_url, "kolada", "hamta", "--ar", "2024"]) == 0
    assert "3 rader lästes och 3 sparades" in capsys.readouterr().out
    monkeypatch.setenv("NAMNDPANELEN_KOLADA_URL", f"{server}/gone/v3")
    assert main(["--databas", sqlite_url, "kolada", "hamta"]) == 1
    assert "Fel: Kolada svarade med fel 404" in capsys.readouterr().err
