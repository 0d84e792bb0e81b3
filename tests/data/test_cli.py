"""The admin command line as a user runs it (issue 2, point 3)."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def run(url: str, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "data_access", *arguments], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_summary_and_rejection(sqlite_url, tmp_path):
    good = tmp_path / "utfall.csv"
    good.write_text("Månad;Verksamhet;Belopp\n2025-07;A;1 000\n2025-08;A;2 000\n", encoding="cp1252")
    waiting = run(sqlite_url, "import", "utfall", str(good))
    assert waiting.returncode == 1 and "1 nya verksamheter läggs till i registret" in waiting.stderr
    assert "--bekrafta" in waiting.stderr
    done = run(sqlite_url, "import", "utfall", str(good), "--bekrafta")
    assert done.returncode == 0, done.stderr
    assert "2 rader lästes och 2 sparades" in done.stdout

    first, second = run(sqlite_url, "summary"), run(sqlite_url, "summary")
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["actuals"] == {"first_period": "2025-07", "last_period": "2025-08", "rows": 2}

    bad = tmp_path / "fel.csv"
    bad.write_text("Månad;Verksamhet;Belopp\n2025-09;A;1 000\n2025-13;A;12a\n", encoding="utf-8")
    refused = run(sqlite_url, "import", "utfall", str(bad))
    assert refused.returncode == 1
    assert 'fel.csv, rad 3, kolumn period: "2025-13" är inte en giltig månad' in refused.stderr
    assert 'fel.csv, rad 3, kolumn belopp: "12a" är inte ett tal' in refused.stderr
    assert "Traceback" not in refused.stderr
    assert json.loads(run(sqlite_url, "summary").stdout)["actuals"]["rows"] == 2


def test_missing_file_and_unknown_kind(sqlite_url, tmp_path):
    missing = run(sqlite_url, "import", "utfall", str(tmp_path / "finns_inte.csv"))
    assert missing.returncode == 2 and "kunde inte läsas" in missing.stderr and "Traceback" not in missing.stderr
    unknown = run(sqlite_url, "import", "bokslut", "x.csv")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_load_sample_only_into_an_empty_database(sqlite_url, tmp_path):
    loaded = run(sqlite_url, "load-sample")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(run(sqlite_url, "summary").stdout)["actuals"]["rows"] > 4000
    own = tmp_path / "own.csv"
    own.write_text("period;verksamhet;belopp\n2025-08;Egen;1\n", encoding="utf-8")
    run(sqlite_url, "clear", "--ja")
    run(sqlite_url, "import", "utfall", str(own), "--bekrafta")
    refused = run(sqlite_url, "load-sample")
    assert refused.returncode == 1 and "tom databas" in refused.stderr
