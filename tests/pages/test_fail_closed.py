"""With login configured, nothing falls back to the local admin (issue 17)."""

from domain.access import LOCAL, Actor
from tests.pages.test_access_pages import AUTH


def script():
    import streamlit as st

    from ui import auth

    who = auth.actor()
    st.markdown(f"Aktör: {who.identity} ({who.role})")


def run(user: dict | None, stored: Actor | None, *, login: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(script, default_timeout=30)
    if login:
        for section, values in AUTH.items():
            at.secrets[section] = values
    if user is not None:
        at.user = user
    if stored is not None:
        at.session_state["_actor"] = stored
    return at.run()


def shown(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Aktör")]


def test_a_session_without_an_identified_user_sees_only_the_login():
    """Regression for issue 17, finding 6: auth.actor() fell back to the local admin when the session had
    no actor, even with login configured."""
    for user, stored in (({"is_logged_in": False}, None), ({"is_logged_in": False}, LOCAL),
                         ({"is_logged_in": True, "email": "lisa@kommun.se", "sub": "lisa"}, None),
                         ({"is_logged_in": True, "email": "lisa@kommun.se", "sub": "lisa"}, LOCAL),
                         ({"is_logged_in": True, "email": "lisa@kommun.se", "sub": "lisa"},
                          Actor("ada@kommun.se", "admin"))):
        at = run(user, stored)
        assert not at.exception, [e.value for e in at.exception]
        assert shown(at) == [], (user, stored)
        assert [b.label for b in at.button] == ["Logga in"], (user, stored)


def test_the_identified_user_and_lokalt_lage_are_returned():
    lisa = Actor("lisa@kommun.se", "läsare")
    at = run({"is_logged_in": True, "email": "Lisa@Kommun.se", "sub": "lisa"}, lisa)
    assert shown(at) == ["Aktör: lisa@kommun.se (läsare)"]
    at = run(None, None, login=False)
    assert shown(at) == ["Aktör: lokal användare (admin)"]
