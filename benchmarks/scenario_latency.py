"""AppTest rerun time after a slider change on the Scenarier page, next to a trivial one-slider Plotly app.

All are measured in the same run. The Scenarier page is timed twice: as ``AppTest.run`` reruns
it (the whole script), and as the browser reruns it after a slider move (only the
``st.fragment`` with the sliders and the result). Printed: the medians and their ratios to the
trivial app (target: at most 2 for the slider move).

Usage: python benchmarks/scenario_latency.py [--repeats N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _apptest import cleanup, fragment_ids, loaded_page, report, sample_database, time_fragment_reruns, time_reruns

TRIVIAL_PLOTLY = '''
import plotly.graph_objects as go
import streamlit as st

value = st.slider("Värde", 0, 100, 50, key="trivial_slider")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[value, 100 - value])))
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    repeats = parser.parse_args().repeats
    from streamlit.testing.v1 import AppTest

    url = sample_database()
    trivial_file = Path(tempfile.mkdtemp(prefix="namndpanelen_trivial_")) / "trivial_plotly.py"
    trivial_file.write_text(TRIVIAL_PLOTLY, encoding="utf-8")
    trivial = AppTest.from_file(str(trivial_file), default_timeout=60).run()
    trivial_median = report("trivial one-slider Plotly app",
                            time_reruns(trivial, lambda at, i: at.slider(key="trivial_slider").set_value(i % 100),
                                        repeats))
    page = loaded_page("pages/5_Scenarier.py", "Scenarier")
    values = [-10, -5, 0, 5, 10]

    def move(at, i):
        at.select_slider(key="scen_days").set_value(values[i % 5])

    full_median = report("Scenarier, whole script rerun", time_reruns(page, move, repeats))
    (panel,) = fragment_ids(page)
    shown = []

    def move_and_read(at, i):
        if i:
            shown.append(at.metric[0].value)
        move(at, i)

    fragment_median = report("Scenarier, slider move (fragment rerun)",
                             time_fragment_reruns(page, move_and_read, repeats, panel))
    if len(set(shown)) < 2:
        raise RuntimeError("the fragment reruns did not change the shown result")
    print(f"ratio whole script/trivial: {full_median / trivial_median:.2f}")
    print(f"ratio slider move/trivial: {fragment_median / trivial_median:.2f} (target ≤ 2)")
    cleanup(url)


if __name__ == "__main__":
    main()
