"""House rules that keep the layers apart, and configuration that stays documented."""

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

STREAMLIT_ALLOWED = {"app.py"}
STREAMLIT_FOLDERS = {"pages", "ui"}


def python_files():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", "venv", ".venv", "benchmarks"} or "site-packages" in relative.parts:
            continue
        yield relative


def imports(path: Path) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    found = set()
    typing_only = [n for n in ast.walk(tree) if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"]
    for block in typing_only:
        block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_streamlit_only_in_app_pages_and_ui():
    offenders = [str(p) for p in python_files() if "streamlit" in imports(p)
                 and str(p) not in STREAMLIT_ALLOWED and p.parts[0] not in STREAMLIT_FOLDERS]
    assert offenders == []


def test_domain_and_forecasting_know_no_sql_or_streamlit():
    for path in python_files():
        if path.parts[0] in {"domain", "forecasting"}:
            assert not imports(path) & {"streamlit", "sqlalchemy"}, path


def test_no_st_navigation_and_no_sql_in_pages():
    for path in python_files():
        source = (ROOT / path).read_text(encoding="utf-8")
        assert "st.navigation" not in source, path
        if path.parts[0] in {"pages", "ui"} or str(path) == "app.py":
            assert "sqlalchemy" not in imports(path), path
            assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\s", source), path


def test_every_setting_is_documented():
    settings = (ROOT / "settings.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r'"((?:DATABASE_URL|NAMNDPANELEN_[A-Z_]+))"', settings):
        assert name in readme, f"{name} is not documented in README.md"


def test_every_import_kind_is_documented():
    from data_access.formats import FORMATS

    docs = (ROOT / "docs" / "importformat.md").read_text(encoding="utf-8")
    for kind, fmt in FORMATS.items():
        assert f"`{kind}`" in docs, kind
        for field in fmt.fields:
            assert f"`{field.name}`" in docs, (kind, field.name)


def test_every_file_uploader_goes_through_the_swedish_one():
    """Issue 18: Streamlit's uploader says "Upload" and "200MB per file" unless ui/upload.py dresses it."""
    for path in python_files():
        if str(path) != "ui/upload.py":
            assert "st.file_uploader(" not in (ROOT / path).read_text(encoding="utf-8"), path
