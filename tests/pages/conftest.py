import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def component_registry():
    """Streamlit's registry of custom components, made once for the whole run.

    A new AppTest scans every installed package for component manifests (about 0,35 s with the
    development dependencies, once per AppTest); the server does it once at start. The panel uses no
    custom components, so one scan serves every AppTest, as one serves every session of a server."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:  # a Streamlit without the registry scans nothing
        return None
    registry = BidiComponentManager()
    registry.discover_and_register_components(start_file_watching=False)
    return registry


@pytest.fixture
def app_test(monkeypatch, component_registry):
    """An AppTest for a page on a given database URL, entered through app.py as a browser would."""
    from streamlit.testing.v1 import AppTest

    def make(page: str, url: str) -> AppTest:
        monkeypatch.setenv("DATABASE_URL", url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if component_registry is not None and getattr(at, "_bidi_component_manager", False) is None:
            at._bidi_component_manager = component_registry
        if page != "app.py":
            at.switch_page(page)
        return at

    return make
