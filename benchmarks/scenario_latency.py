"""AppTest rerun time after a slider change on the Scenarier page, next to a trivial one-slider Plotly app.

Both are measured in the same run; printed: both medians and their ratio (target: at most 2).

Usage: python benchmarks/scenario_latency.py [--repeats N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _apptest import cleanup, loaded_page, report, sample_database, time_reruns

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
    page_median = report("Scenarier, rerun after a slider change",
                         time_reruns(page, lambda at, i: at.select_slider(key="scen_days").set_value(values[i % 5]),
                                     repeats))
    print(f"ratio Scenarier/trivial: {page_median / trivial_median:.2f} (target ≤ 2)")
    cleanup(url)


if __name__ == "__main__":
    main()
