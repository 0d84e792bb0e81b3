"""Login through a real OpenID Connect provider (panva/oidc-provider on localhost), as läsare, controller, admin."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.browser.conftest import (accept_cautions, free_port, shot, start_app, stop_app, upload,
                                    wait_for_app, wait_until_serving)
from tests.conftest import ROOT

OIDC_DIR = ROOT / "tests" / "oidc"
CLIENT_ID, CLIENT_SECRET = "namndpanelen", "test-hemlighet-som-bara-finns-i-testet"


@pytest.fixture(scope="module")
def provider():
    """panva/oidc-provider from the npm registry (tests/oidc/package-lock.json), installed on first use."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not (npm and node):
        pytest.skip("Node.js och npm finns inte på maskinen: inloggningstestet hoppas över")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, check=True, capture_output=True)
    app_port, port = free_port(), free_port()
    redirect = f"http://localhost:{app_port}/oauth2callback"
    process = subprocess.Popen([node, "provider.mjs", str(port), CLIENT_ID, CLIENT_SECRET, redirect],
                               cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    metadata = f"http://localhost:{port}/.well-known/openid-configuration"
    wait_until_serving(process, metadata, "oidc-provider", timeout=30)
    yield {"metadata": metadata, "redirect": redirect, "app_port": app_port}
    stop_app(process)


@pytest.fixture(scope="module")
def login_server(provider, tmp_path_factory):
    """The app with login switched on through a secrets file outside the checkout, as on a server."""
    folder = tmp_path_factory.mktemp("login")
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "{provider['redirect']}"
cookie_secret = "en-lång-slumpmässig-hemlighet-för-kakorna-i-testet"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider['metadata']}"

[auth.client_kwargs]
prompt = "login"
""", encoding="utf-8")
    url = f"sqlite:///{folder / 'app.sqlite3'}"
    process, _ = start_app(url, {"NAMNDPANELEN_ADMIN": "ada@kommun.test"}, port=provider["app_port"],
                           extra_args=("--secrets.files", str(secrets)))
    yield f"http://localhost:{provider['app_port']}", url
    stop_app(process)


def log_in(browser, base: str, user: str):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.goto(base)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/interaction/**", timeout=30_000)
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", "valfritt")
    page.click("button[type=submit]")
    if "/interaction/" in page.url:  # the provider's consent screen
        page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"Inloggad som {user}" in sidebar
    return context, page, sidebar


def open_page(page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app(page)


def test_login_roles_and_audit_trail(login_server, browser, tmp_path):
    base, url = login_server
    # Nobody logged in: the login screen, no figures.
    anonymous = browser.new_page(viewport={"width": 1280, "height": 720})
    anonymous.goto(f"{base}/Budget_mot_utfall")
    anonymous.get_by_role("button", name="Logga in").wait_for(timeout=60_000)
    assert "Exempelkommun" not in anonymous.content()
    shot(anonymous, "login_screen_1280x720")
    anonymous.close()

    # The configured admin gives Kalle the controller role on the Behörigheter page.
    context, page, sidebar = log_in(browser, base, "ada")
    assert "Roll: admin" in sidebar and "Behörigheter" in sidebar
    open_page(page, base, "Behorigheter")
    page.get_by_label("E-postadress eller användar-id").fill("kalle@kommun.test")
    page.get_by_role("button", name="Spara roll").click()
    page.get_by_text("kalle@kommun.test har nu rollen controller.").wait_for(timeout=30_000)
    shot(page, "behorigheter_1600x1000")
    context.close()

    # A läsare sees the figures and no write controls.
    context, page, sidebar = log_in(browser, base, "lisa")
    assert "Roll: läsare" in sidebar and "Behörigheter" not in sidebar
    open_page(page, base, "Data")
    assert "inte läsa in filer" in page.content()
    uploaders = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploaders.first.wait_for(state="attached", timeout=30_000)  # drawn a moment after the page's text
    assert uploaders.count() == 1  # the report-table check only
    assert page.get_by_role("tab", name="Granskningslogg").count() == 0
    shot(page, "data_lasare_1600x1000")
    open_page(page, base, "Prognos")
    page.get_by_role("tab", name="Spara version").click()
    page.get_by_text("kan inte spara nya").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Spara låst version").count() == 0
    open_page(page, base, "Scenarier")
    assert page.get_by_role("button", name="Spara scenario").count() == 0
    context.close()

    # The controller imports a file and saves a forecast version.
    context, page, sidebar = log_in(browser, base, "kalle")
    assert "Roll: controller" in sidebar
    open_page(page, base, "Data")
    good = tmp_path / "utfall_sep.csv"
    good.write_text("Månad;Verksamhet;Belopp\n2025-09;Ekonomiskt bistånd;1 000\n", encoding="utf-8")
    upload(page, good)
    accept_cautions(page)  # September read for one verksamhet only
    page.get_by_role("button", name="Spara i databasen").click()
    page.get_by_text("1 rad lästes").wait_for(timeout=30_000)
    open_page(page, base, "Prognos")
    page.get_by_role("tab", name="Spara version").click()
    page.get_by_role("button", name="Spara låst version").click()
    page.get_by_role("button", name="Ja, lås versionen").click()  # after the question that names the figure
    page.get_by_text("är sparad och låst").wait_for(timeout=60_000)
    open_page(page, base, "Data")
    page.get_by_role("tab", name="Granskningslogg").click()
    page.get_by_role("tabpanel", name="Granskningslogg").get_by_text("Användare").first.wait_for(timeout=30_000)
    shot(page, "granskningslogg_controller_1600x1000")
    context.close()

    from data_access.audit import entries
    from data_access.engine import make_engine

    trail = entries(make_engine(url)).iloc[::-1]
    by_user = {user: list(rows["action"]) for user, rows in trail.groupby("user_name", sort=False)}
    assert by_user["ada@kommun.test"] == ["inloggning", "roll ändrad"]
    assert by_user["lisa@kommun.test"] == ["inloggning"]
    assert by_user["kalle@kommun.test"] == ["inloggning", "import", "prognosversion sparad"]
    logins = trail[trail["action"] == "inloggning"]["object"]
    assert all(text.startswith("inloggad 20") for text in logins)  # one entry per sign-in, with its time
