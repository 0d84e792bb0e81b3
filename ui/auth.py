"""Who is using the dashboard: lokalt läge without a login, OpenID Connect through st.login on a server.

The role decides which write controls a page shows; the write functions in ``data_access`` check
the role again, so hiding a button is a convenience, not the protection.
"""

from __future__ import annotations

import streamlit as st

from data_access import roles
from domain.access import LOCAL, Actor, normalise_identity
from domain.markup import escape
from settings import get_settings
from ui import state

_ACTOR = "_actor"
_LOGGED = "_login_recorded"


def login_configured() -> bool:
    """True when secrets.toml holds an [auth] section (see README, Inloggning)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: lokalt läge
        return False


def identify() -> Actor:
    """The actor for this run. Shows the login screen and stops the page when nobody is logged in."""
    if not login_configured():
        actor = LOCAL
    elif not st.user.is_logged_in:
        _login_screen()
        st.stop()
    else:
        actor = roles.resolve(state.engine(), email=st.user.get("email") or st.user.get("preferred_username"), subject=st.user.get("sub"),
                              name=st.user.get("name") or "", admins=get_settings().admins)
        if st.session_state.get(_LOGGED) != actor.identity:
            issued = st.user.get("iat")
            roles.record_login(state.engine(), actor, int(issued) if isinstance(issued, (int, float)) else None)
            st.session_state[_LOGGED] = actor.identity
    st.session_state[_ACTOR] = actor
    return actor


def actor() -> Actor:
    """The actor identified at the top of this run.

    Lokalt läge only when no login is configured. With a login, a session without an identified,
    logged-in user never borrows the local admin: it is shown the login screen and stopped.
    """
    current = st.session_state.get(_ACTOR)
    if not login_configured():
        return current or LOCAL
    if current is None or current == LOCAL or not st.user.is_logged_in or current.identity not in _logged_in_as():
        st.session_state.pop(_ACTOR, None)
        _login_screen()
        st.stop()
    return current


def _logged_in_as() -> set[str]:
    """The identities the signed-in user's ID token names (as ``roles.resolve`` reads them)."""
    return {normalise_identity(st.user.get("email") or st.user.get("preferred_username") or ""),
            normalise_identity(st.user.get("sub") or "")} - {""}


def _login_screen() -> None:
    st.title("Nämndpanelen")
    st.markdown("Uppföljning av socialnämndens ekonomi: budget, prognos, placeringar och sjukfrånvaro.")
    st.markdown("Logga in med ditt konto i kommunen för att se panelen.")
    if st.button("Logga in", type="primary", key="auth_login", icon=":material/login:"):
        st.login()


def sidebar_identity(current: Actor) -> None:
    """Who is logged in and with which role, or the notice that this is lokalt läge."""
    if current is LOCAL:
        st.markdown('<div class="np-local">Lokalt läge: ingen inloggning är inställd. Alla ändringar sparas '
                    "som «lokal användare».</div>", unsafe_allow_html=True)
        return
    who = escape(current.display)
    if current.display != current.identity:
        who += f"<br>{escape(current.identity)}"
    st.markdown(f'<div class="np-local">Inloggad som <b>{who}</b><br>Roll: {escape(current.role)}</div>',
                unsafe_allow_html=True)
    if st.button("Logga ut", key="auth_logout", icon=":material/logout:"):
        st.logout()
