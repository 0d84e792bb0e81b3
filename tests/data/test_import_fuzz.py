"""Fuzzing every import kind with hostile and mutated files (issue 16), on SQLite and PostgreSQL.

Bounded for CI; ``benchmarks/import_fuzz.py`` runs the same generator at thousands of files.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from data_access.engine import make_engine, migrate
from data_access.importer import ACCEPT_ALL, import_file, plan_import
from domain.access import LOCAL
from tests.data.test_import_safety import data_checksum
from tests.fuzz_files import TEMPLATES, hostile_file

FORBIDDEN = ("Error", "Exception", "Traceback", "\ufffd")


def seeded(url: str):
    engine = make_engine(url)
    migrate(engine)
    for kind, (header, rows) in TEMPLATES.items():
        content = ("\n".join([header, *rows]) + "\n").encode()
        assert import_file(engine, kind, content, f"{kind}.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    return engine


def check_one(engine, kind: str, name: str, content: bytes) -> None:
    before = data_checksum(engine)
    plan = plan_import(engine, kind, content, name)
    result = import_file(engine, kind, content, name, actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok == plan.ok or not result.ok
    if not result.ok:
        assert data_checksum(engine) == before, "a refused file changed the database"
        assert result.problems, "a refusal without a reason"
        for problem in result.problems:
            message = str(problem)
            assert message.startswith(name), message
            assert all(ch.isprintable() for ch in message), message
            assert not any(word in message for word in FORBIDDEN), message


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_no_file_escapes_or_changes_anything_on_refusal(db_url, rng: random.Random):
    engine = ENGINES.get(db_url) or ENGINES.setdefault(db_url, seeded(db_url))
    kind, name, content = hostile_file(rng)
    check_one(engine, kind, name, content)


ENGINES: dict[str, object] = {}


def test_a_lone_carriage_return_in_the_header_is_refused_in_swedish(sqlite_url):
    """A file the fuzzer found: a control character and a lone CR inside the header row raised csv.Error."""
    engine = make_engine(sqlite_url)
    migrate(engine)
    content = (b"M\xc3\xa5nad;Verksamhet;Belopp;Kommentar\x01\r;Ekonomiskt bist\xc3\xa5nd;70 000 000;Fler\n"
               b"2025-08;Familjer\xc3\xa4tt;1 100 000;\n")
    check_one(engine, "prognos", "fuzz_prognos.csv", content)
    result = import_file(engine, "prognos", content, "fuzz_prognos.csv", actor=LOCAL)
    assert not result.ok and "rubrikraden kan inte läsas" in str(result.problems[0])
    engine.dispose()
