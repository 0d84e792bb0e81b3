"""AppTest rerun time of the Budget mot utfall page next to a trivial one-slider app, in one run.

Usage: python benchmarks/budget_page.py [--repeats N]
"""

from __future__ import annotations

import argparse

from _apptest import (
    cleanup,
    loaded_page,
    report,
    sample_database,
    time_reruns,
    trivial_app_file,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    repeats = parser.parse_args().repeats
    from streamlit.testing.v1 import AppTest

    url = sample_database()
    trivial = AppTest.from_file(trivial_app_file(), default_timeout=60).run()
    trivial_median = report("trivial one-slider app",
                            time_reruns(trivial, lambda at, i: at.slider(key="trivial_slider").set_value(i % 100),
                                        repeats))

    page = loaded_page("pages/1_Budget_mot_utfall.py", "Budget mot utfall")
    months = [8, 7, 6, 5, 4]
    page_median = report("Budget mot utfall, rerun after month change",
                         time_reruns(page, lambda at, i: at.selectbox(key="period_month").set_value(months[i % 5]),
                                     repeats))
    print(f"ratio page/trivial: {page_median / trivial_median:.1f}")
    cleanup(url)


if __name__ == "__main__":
    main()
