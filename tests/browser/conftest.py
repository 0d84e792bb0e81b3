"""Browser tier: the app started as the README starts it, driven by Playwright in Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    reason = "chromium finns inte på maskinen (apt-get install chromium): webbläsartesterna hoppas över"
    print(f"\n{reason}")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(database_url: str, extra_env: dict[str, str] | None = None, *, port: int | None = None,
              extra_args: tuple[str, ...] = ()):
    port = port or free_port()
    # The server forks its forecast worker processes, as in production (unset = one per core).
    env = {**os.environ, "DATABASE_URL": database_url, "NAMNDPANELEN_FORECAST_WORKERS": "",
           "NAMNDPANELEN_PRECOMPUTE": "1", **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra_args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(process, f"{base}/_stcore/health", "the app")
    return process, base


def wait_until_serving(process, url: str, what: str, timeout: float = 60) -> None:
    """Poll ``url`` until it answers; if it never does, stop ``process`` and raise with its output."""
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    process.kill()
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    raise RuntimeError(f"{what} did not start:\n{output}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A freshly started server on a new SQLite file: the first start creates and fills it."""
    path = tmp_path_factory.mktemp("browser") / "app.sqlite3"
    process, base = start_app(f"sqlite:///{path}")
    yield base
    stop_app(process)


@pytest.fixture
def own_server(tmp_path):
    """A server of the test's own, for tests that write to the database."""
    process, base = start_app(f"sqlite:///{tmp_path / 'own.sqlite3'}")
    yield base
    stop_app(process)


def stop_app(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the script run."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-testid="stSpinner"]');
        }""", timeout=120_000)
    page.wait_for_timeout(800)


def accept_cautions(page) -> None:
    """Tick every caution of the import plan on the page, one after the other, as a controller does."""
    accepts = page.get_by_text("Jag har granskat detta och vill spara ändå")
    accepts.first.wait_for(timeout=30_000)
    for number in range(accepts.count()):
        accepts.nth(number).click()
        wait_for_app(page)


def upload(page, path: Path) -> None:
    """Give the page's first file uploader ``path`` and wait until the page has run with it.

    The file reaches the server first, then the page runs again. A file given while the page was still being
    drawn (a busy machine) can be dropped by the uploader it was given to: it is given once more when its name
    has not appeared within half a minute.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chip = page.locator('[data-testid="stFileChipName"]', has_text=path.name).first
    for attempt in range(2):
        page.set_input_files('[data-testid="stFileUploaderDropzoneInput"] >> nth=0', str(path))
        try:
            chip.wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
            wait_for_app_idle(page)
    wait_for_app(page)


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_for_app_idle(page) -> None:
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') === 'notRunning'; }""", timeout=120_000)
    page.wait_for_timeout(500)


def problems_on(page) -> list[str]:
    found = [e.inner_text() for e in page.query_selector_all('[data-testid="stException"]')]
    found += [e.inner_text() for e in page.query_selector_all('[data-testid="stAlertContentError"]')]
    return found
