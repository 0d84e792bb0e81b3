"""Issue 19: the load benchmark keeps working (two simultaneous sessions per page, one round)."""

import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402


def test_issue_19_load_benchmark_serves_every_page_to_simultaneous_sessions():
    lines = []
    results, memory, cpu = load.measure([2], 1, list(load.PAGES), progress=lines.append)
    for (sessions, page), rounds in results.items():
        visits = [visit for visits in rounds for visit in visits]
        assert len(visits) == sessions * (len(load.PAGES) if page == "trivial" else 1)  # trivial before each page
        assert not [visit.problem for visit in visits if visit.problem], (page, lines)
    assert {page for _, page in results} == {"trivial", *load.PAGES}
    assert 0 < memory[2] < 2000
    # Processor time is counted in ticks of 10 ms: a round of two sessions may take less than one.
    assert set(cpu) == set(results) and all(seconds >= 0 for rounds in cpu.values() for seconds in rounds)
    assert sum(cpu[(2, page)][0] for page in load.PAGES) > 0
