import pytest

from tests.conftest import ROOT


@pytest.fixture
def app_test(monkeypatch):
    """An AppTest for a page on a given database URL, entered through app.py as a browser would."""
    from streamlit.testing.v1 import AppTest

    def make(page: str, url: str) -> AppTest:
        monkeypatch.setenv("DATABASE_URL", url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if page != "app.py":
            at.switch_page(page)
        return at

    return make
