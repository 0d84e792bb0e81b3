"""Who may do what: the three roles and the permission check every write goes through.

``läsare`` sees everything and changes nothing; ``controller`` imports figures and saves forecast
versions and scenarios (with their comments); ``admin`` may do all of that and also decides who
has which role. Without a login (lokalt läge) the one local user is an admin of their own laptop.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.tables import Column, Table

READER, CONTROLLER, ADMIN = "läsare", "controller", "admin"
ROLES = (READER, CONTROLLER, ADMIN)

IMPORT = "import"
SAVE_FORECAST = "save_forecast"
SAVE_SCENARIO = "save_scenario"
MANAGE_ROLES = "manage_roles"
CLEAR_DATA = "clear_data"
SEE_AUDIT = "see_audit"
MANAGE_REGISTER = "manage_register"
SET_MUNICIPALITY = "set_municipality"
ASSESS_GOALS = "assess_goals"

_ALLOWED = {
    READER: frozenset(),
    CONTROLLER: frozenset({IMPORT, SAVE_FORECAST, SAVE_SCENARIO, SEE_AUDIT, ASSESS_GOALS}),
    ADMIN: frozenset({IMPORT, SAVE_FORECAST, SAVE_SCENARIO, SEE_AUDIT, MANAGE_ROLES, CLEAR_DATA, MANAGE_REGISTER,
                      SET_MUNICIPALITY, ASSESS_GOALS}),
}

# What a refused user is told, in the words of the page they were on.
_DESCRIPTION = {
    IMPORT: "läsa in filer",
    SAVE_FORECAST: "spara prognosversioner",
    SAVE_SCENARIO: "spara, byta namn på eller ta bort scenarier",
    MANAGE_ROLES: "ändra behörigheter",
    CLEAR_DATA: "ta bort alla data",
    SEE_AUDIT: "se granskningsloggen",
    MANAGE_REGISTER: "ändra registret över verksamheter och insatskategorier",
    SET_MUNICIPALITY: "ändra kommunens namn",
    ASSESS_GOALS: "ändra bedömningar, status och kommentarer för mål, indikatorer och uppdrag",
}

LOCAL_NAME = "lokal användare"


@dataclass(frozen=True)
class Actor:
    """The person behind a request: the identity written to the audit trail and their role."""

    identity: str
    role: str
    name: str = ""

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"okänd roll: {self.role!r}")

    @property
    def display(self) -> str:
        return self.name or self.identity

    def may(self, action: str) -> bool:
        return action in _ALLOWED[self.role]


LOCAL = Actor(identity=LOCAL_NAME, role=ADMIN)
COMMAND_LINE = Actor(identity="kommandoraden", role=ADMIN)


def command_line(os_user: str | None) -> Actor:
    """The admin behind ``python -m data_access``: whoever can run it holds the database already, and
    the audit trail names them by their operating-system account."""
    user = " ".join(str(os_user or "").split()) or "okänd"
    return Actor(identity=f"{user} (kommandoraden)"[:200], role=ADMIN)


class AccessDenied(PermissionError):
    """A write was refused because the user's role does not allow it."""

    def __init__(self, actor: Actor, action: str):
        self.actor, self.action = actor, action
        super().__init__(f"Du ({actor.identity}) har rollen {actor.role} och får inte "
                         f"{_DESCRIPTION.get(action, action)}. Det kräver rollen {_needed(action)}; "
                         "be förvaltningens administratör om behörighet.")


def _needed(action: str) -> str:
    return "admin" if action in _ALLOWED[ADMIN] - _ALLOWED[CONTROLLER] else "controller eller admin"


def notice(actor: Actor, action: str, sees: str, cannot: str | None = None) -> str:
    """What a page tells a user whose role does not allow ``action``: what they see, what they cannot do
    (the action's own description unless the page words it), and which role it takes."""
    return (f"Du har rollen {actor.role}: du {sees} men kan inte {cannot or _DESCRIPTION.get(action, action)}. "
            f"Det kräver rollen {_needed(action)}; be förvaltningens administratör om behörighet.")


def require(actor: Actor, action: str) -> None:
    if action not in _DESCRIPTION:
        raise ValueError(f"okänd åtgärd: {action!r}")
    if not actor.may(action):
        raise AccessDenied(actor, action)


def normalise_identity(value: str) -> str:
    """E-mail addresses and OIDC subjects are compared without case or surrounding space."""
    return " ".join(str(value or "").split()).lower()


def configured_admins(value: str | None) -> frozenset[str]:
    """The first administrators, from a comma- or space-separated setting."""
    return frozenset(normalise_identity(part) for part in (value or "").replace(",", " ").split() if part.strip())


def roles_table(assignments) -> Table:
    """The assigned roles (``data_access.roles.assignments``): who, which role, given by whom and when."""
    columns = (Column("identity", "Användare", width=30), Column("role", "Roll", width=12),
               Column("granted_by", "Tilldelad av", width=30), Column("granted_at", "Tid", "timestamp", 17))
    return Table("Tilldelade roller", columns, tuple(assignments.to_dict("records")))
