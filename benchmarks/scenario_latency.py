"""AppTest rerun time after a slider change on the Scenarier page, next to a trivial one-slider Plotly app.

All are measured in the same run, in turns. The Scenarier page is timed twice: as
``AppTest.run`` reruns it (the whole script), and as the browser reruns it after a slider move:
the request names the ``st.fragment`` with the inputs, whose callback narrows the rerun to the
fragment with the result. Printed: the medians and their ratios to the trivial app (target: at
most 2 for the slider move).

Usage: python benchmarks/scenario_latency.py [--repeats N] [--rounds N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _apptest import cleanup, fragment_id, loaded_page, report, sample_database, time_fragment_reruns, time_reruns

TRIVIAL_PLOTLY = '''
import plotly.graph_objects as go
import streamlit as st

value = st.slider("Värde", 0, 100, 50, key="trivial_slider")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[value, 100 - value])))
'''


def metric_and_inputs(at) -> tuple[str, bool]:
    """The shown scenario result, and whether the inputs were drawn in the same run."""
    return at.metric[0].value, any(w.key == "scen_days" for w in at.select_slider)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20, help="reruns of each kind per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, taking the three kinds in turn")
    arguments = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    url = sample_database()
    trivial_file = Path(tempfile.mkdtemp(prefix="namndpanelen_trivial_")) / "trivial_plotly.py"
    trivial_file.write_text(TRIVIAL_PLOTLY, encoding="utf-8")
    trivial = AppTest.from_file(str(trivial_file), default_timeout=60).run()
    page = loaded_page("pages/5_Scenarier.py", "Scenarier")
    inputs = fragment_id(page, "scen_inputs")
    values = [-10, -5, 0, 5, 10]

    def move(at, i):
        at.select_slider(key="scen_days").set_value(values[i % 5])

    # The kinds take turns, so that a slower moment of the machine falls on all of them.
    times: dict[str, list[float]] = {"trivial": [], "whole": [], "move": []}
    shown = []
    for _ in range(arguments.rounds):
        times["trivial"] += time_reruns(trivial, lambda at, i: at.slider(key="trivial_slider").set_value(i % 100),
                                        arguments.repeats)
        times["whole"] += time_reruns(page, move, arguments.repeats)
        times["move"] += time_fragment_reruns(page, move, lambda at, i: shown.append(metric_and_inputs(at)),
                                              arguments.repeats, inputs)
    if len({value for value, _ in shown}) < 2:
        raise RuntimeError("the slider moves did not change the shown result")
    if any(drawn for _, drawn in shown):
        raise RuntimeError("a slider move redrew the inputs, not only the result")
    trivial_median = report("trivial one-slider Plotly app", times["trivial"])
    full_median = report("Scenarier, whole script rerun", times["whole"])
    move_median = report("Scenarier, slider move (browser's rerun)", times["move"])
    print(f"ratio whole script/trivial: {full_median / trivial_median:.2f}")
    print(f"ratio slider move/trivial: {move_median / trivial_median:.2f} (target ≤ 2)")
    cleanup(url)


if __name__ == "__main__":
    main()
