"""What each role sees on the pages, the login screen, and hostile texts rendered as text (issue 9)."""

import html

import pytest

from tests.pages.test_pages import frame_with
from tests.pages.tabs import lock_version, open_tab
from ui.import_panel import KIND_LABELS as KIND_TEXTS

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 40,
                 "client_id": "namndpanelen", "client_secret": "hemligt",
                 "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}}


def logged_in(at, email: str):
    for section, values in AUTH.items():
        at.secrets[section] = values
    at.user = {"is_logged_in": True, "email": email, "sub": email.split("@")[0], "name": email.split("@")[0].title()}
    return at


def grant(url: str, email: str, role: str) -> None:
    from data_access.engine import make_engine
    from data_access.roles import set_role
    from domain.access import COMMAND_LINE

    set_role(make_engine(url), COMMAND_LINE, email, role)


def test_lokalt_lage_says_so_and_allows_writing(app_test, sample_url):
    at = app_test("pages/9_Data.py", sample_url)
    at.run()
    assert not at.exception
    assert any("Lokalt läge" in m.value for m in at.sidebar.markdown)
    assert [t.label for t in at.tabs] == ["Importera", "Datakontroller", "Importlogg och innehåll", "Register",
                                         "Granskningslogg"]
    assert at.selectbox(key="data_kind").value == "utfall"
    # 2026-12-05 walkthrough: the verksamheternas prognos stood ninth; every type once, in the month's order.
    from data_access.formats import KINDS

    options = at.selectbox(key="data_kind").options
    assert sorted(options) == sorted(KIND_TEXTS[k] for k in KINDS) and options[:3] == [
        "Utfall (bokfört per månad)", "Budget (år eller månad)", "Prognos (verksamheternas egen)"]
    # The chosen type's format is on the page, not only in docs/ (walkthrough: the page named a file path).
    shown = lambda: "\n".join(m.value for e in at.expander if e.label == "Så ska filen se ut" for m in e.markdown)
    assert "Ersätter: månad + verksamhet." in shown() and "docs/" not in " ".join(m.value for m in at.markdown)
    at.selectbox(key="data_kind").set_value("budget").run()
    assert "Ersätter: år + verksamhet (årsbudget)" in shown() and "Ersätter: månad + verksamhet." not in shown()


def test_every_import_type_has_its_format_described():
    from data_access.formats import KINDS
    from ui import layout

    headings = list(layout._sections("importformat.md"))
    assert all(sum(h.startswith(f"`{kind}` ") for h in headings) == 1 for kind in KINDS)


def test_login_screen_when_login_is_configured_and_nobody_is_logged_in(app_test, sample_url):
    at = app_test("pages/2_Prognos.py", sample_url)
    for section, values in AUTH.items():
        at.secrets[section] = values
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Logga in"]
    assert not at.metric and not at.tabs  # no figures before login


def test_reader_sees_figures_but_no_write_controls(app_test, sample_url):
    at = logged_in(app_test("pages/9_Data.py", sample_url), "lisa@kommun.se")
    at.run()
    assert not at.exception
    assert any("Inloggad som" in m.value and "Lisa" in m.value and "läsare" in m.value for m in at.sidebar.markdown)
    assert [t.label for t in at.tabs] == ["Datakontroller", "Importlogg och innehåll", "Importera", "Register"]
    assert any("inte läsa in filer" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key == "data_kind"]

    at.switch_page("pages/2_Prognos.py").run()
    assert not at.exception and at.metric
    open_tab(at, "prognos_tab", "Spara version")
    assert not [b for b in at.button if b.key == "prognos_version_save"]
    assert any("kan inte spara nya" in i.value for i in at.info)

    at.switch_page("pages/5_Scenarier.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key in ("scen_save", "scen_rename", "scen_delete")]
    assert at.text_input(key="scen_name").disabled
    assert any("spara, byta namn och ta bort kräver rollen controller" in c.value for c in at.caption)

    at.switch_page("pages/8_Behorigheter.py").run()
    assert any("Bara en administratör" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.key == "roles_identity"]


def test_controller_saves_and_admin_grants_roles(app_test, sample_url):
    grant(sample_url, "kalle@kommun.se", "controller")
    at = logged_in(app_test("pages/2_Prognos.py", sample_url), "kalle@kommun.se")
    open_tab(at.run(), "prognos_tab", "Spara version")
    lock_version(at)
    assert [s.value for s in at.success] == ['Versionen "Delårsrapport 2 2025" är sparad och låst.']
    assert "Behörigheter" not in [link.label for link in at.sidebar.get("page_link")]

    admin = logged_in(app_test("pages/8_Behorigheter.py", sample_url), "ada@kommun.se")
    admin.run()
    assert any("Bara en administratör" in i.value for i in admin.info)  # not yet an admin
    grant(sample_url, "ada@kommun.se", "admin")
    admin.run()
    assert "Behörigheter" in [link.label for link in admin.sidebar.get("page_link")]
    admin.text_input(key="roles_identity").set_value("Lisa@Kommun.se")
    admin.selectbox(key="roles_role").set_value("controller")
    next(b for b in admin.button if b.label == "Spara roll").click().run()
    # Shown escaped (an address would otherwise become a mailto link), read as typed.
    assert [html.unescape(s.value).replace("\u200b", "") for s in admin.success] == [
        "lisa@kommun.se har nu rollen controller."]

    admin.switch_page("pages/9_Data.py").run()
    admin.selectbox(key="data_audit_user").set_value("kalle@kommun.se").run()
    actions = list(frame_with(admin, "Händelse")["Händelse"])
    assert actions == ["prognosversion sparad", "inloggning"]


@pytest.mark.parametrize("hostile", ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>"])
def test_hostile_names_from_files_are_rendered_as_text(app_test, sample_url, hostile):
    from data_access.engine import make_engine
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    content = f"period;verksamhet;belopp\n2025-08;{hostile};100000\n".encode()
    assert import_file(make_engine(sample_url), "utfall", content, "fientlig.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    for page in ("pages/1_Budget_mot_utfall.py", "pages/2_Prognos.py"):
        at = app_test(page, sample_url)
        at.run()
        assert not at.exception
        raw = [m.value for m in at.get("markdown") if m.allow_html and hostile in m.value]
        assert raw == [], page
        shown = [m.value for m in at.get("markdown")] + [e.value.to_string() for e in [*at.table, *at.dataframe]]
        assert any(hostile in text or html.escape(hostile) in text for text in shown), page  # shown, as text


def test_audit_changes_read_as_text():
    from domain.tables import change_text

    assert change_text('{"roll": "controller"}') == "roll: controller"
    assert change_text('{"period": ["2025-01", "2025-08"], "rader": 12345}') == "period: jan 2025–aug 2025; rader: 12\u00a0345"
    assert change_text('{"kommentarer": {"HVB": "Två avslut"}}') == "kommentarer: HVB: Två avslut"
    assert change_text(None) == "" and change_text("inte json") == "inte json"
    assert change_text(float("nan")) == ""  # a gap in a column that also holds text
