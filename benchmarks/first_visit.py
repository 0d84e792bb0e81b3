"""Browser time to a fully rendered Prognos page against Budget mot utfall, on freshly started servers.

Each round starts a new server (``streamlit run app.py``, as the README does) on a copy of the sample
database and opens one page in a new headless chromium session, timed from navigation until the
script has finished and the footer is drawn; then opens the same page again in a second session
(a later visit). Rounds alternate Budget mot utfall and Prognos, so both meet the same machine load.

Two starting points:

* ``lagrad``: the database already holds the period's forecast (the command line's import, any earlier
  server, or the background computation after an import in the browser stored it): the normal case.
* ``tom``: nothing is stored (data imported with ``--utan-prognos``, or a computation that failed): the
  visitor to Prognos waits for the fit, unless the background computation has finished first.

Printed: median seconds per page and case, and the ratio Prognos / Budget mot utfall.

Usage: python benchmarks/first_visit.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _apptest import ROOT, sample_database

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = {"Budget mot utfall": "Budget_mot_utfall", "Prognos": "Prognos"}


def rendered_seconds(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') === 'notRunning'
                       && document.querySelector('.np-footer') !== null
                       && !document.querySelector('[data-testid="stSpinner"]'); }""", timeout=300_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright
    from sqlalchemy import delete

    from data_access import schema as s
    from data_access.engine import make_engine
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, start_app, stop_app
    from tests.conftest import store_latest_forecasts

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    folder = Path(tempfile.mkdtemp(prefix="namndpanelen_first_visit_"))
    template = Path(sample_database().removeprefix("sqlite:///"))
    engine = make_engine(f"sqlite:///{template}")
    with engine.begin() as connection:
        connection.execute(delete(s.forecast_results))
    empty = folder / "tom.sqlite3"
    shutil.copy(template, empty)
    store_latest_forecasts(engine)
    engine.dispose()
    stored = folder / "lagrad.sqlite3"
    shutil.copy(template, stored)

    times: dict[tuple[str, str, str], list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for number in range(rounds):
            for case, source in (("lagrad", stored), ("tom", empty)):
                for name, path in PAGES.items():
                    copy = folder / f"{case}_{number}_{path}.sqlite3"
                    shutil.copy(source, copy)
                    process, base = start_app(f"sqlite:///{copy}", {"NAMNDPANELEN_PRECOMPUTE": "1"})
                    try:
                        first = rendered_seconds(browser, f"{base}/{path}")
                        later = rendered_seconds(browser, f"{base}/{path}")
                    finally:
                        stop_app(process)
                    times.setdefault((case, name, "första"), []).append(first)
                    times.setdefault((case, name, "senare"), []).append(later)
                    print(f"omgång {number + 1}, {case}, {name}: första besök {first:.2f} s, senare {later:.2f} s",
                          flush=True)
        browser.close()
    print()
    for case in ("lagrad", "tom"):
        for visit in ("första", "senare"):
            budget = statistics.median(times[(case, "Budget mot utfall", visit)])
            prognos = statistics.median(times[(case, "Prognos", visit)])
            ratios = [p / b for p, b in zip(times[(case, "Prognos", visit)], times[(case, "Budget mot utfall", visit)])]
            print(f"{case:7s} {visit:7s} Budget mot utfall {budget:5.2f} s, Prognos {prognos:5.2f} s, "
                  f"kvot {prognos / budget:4.2f} (omgångar {min(ratios):.2f}–{max(ratios):.2f})")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
