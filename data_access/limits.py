"""What a stored value may be: the one place where column lengths and plausible ranges are known.

Text lengths are read from the schema itself, so the importer refuses exactly what the database
would refuse, with the same Swedish message on SQLite (which does not enforce lengths) and
PostgreSQL (which does). Numeric bounds are plausibility limits, far inside the column types'
ranges; they are documented in docs/importformat.md and tested against the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Integer, String

from data_access import schema as s

# Signed 32- and 64-bit integer columns, as both databases store them.
INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


@dataclass(frozen=True)
class Bound:
    """A plausible range for one kind of imported number; ``why`` is shown when it is exceeded."""

    low: float
    high: float
    why: str


# Per imported field: |belopp| ≤ 10^11 kr on one row is more than any Swedish municipality's whole
# annual budget; a category has at most 10 000 placements, each at most 31 days a month.
BOUNDS: dict[str, Bound] = {
    "belopp": Bound(-1e11, 1e11, "ett belopp på en rad får vara högst 100 miljarder kr"),
    "kostnad": Bound(-1e11, 1e11, "en kostnad på en rad får vara högst 100 miljarder kr"),
    "dygn": Bound(0, 31 * 10_000 * 12, "högst 3 720 000 dygn (10 000 platser hela året)"),
    "pris": Bound(0, 1e7, "ett à-pris får vara högst 10 miljoner kr per dygn"),
    "hours": Bound(0, 1e9, "högst 1 miljard timmar på en rad"),
    "count": Bound(0, 1e6, "högst 1 miljon personer på en rad"),
    "indikatorvarde": Bound(-1e12, 1e12, "ett indikatorvärde får vara högst 1 000 miljarder"),
}


def text_length(table, column: str) -> int:
    """The declared length of a text column (``String(n)``); unlimited ``Text`` gives a large bound."""
    kind = table.c[column].type
    if isinstance(kind, String) and kind.length:
        return int(kind.length)
    return 100_000


def integer_max(table, column: str) -> int:
    kind = table.c[column].type
    return BIGINT_MAX if isinstance(kind, BigInteger) else INTEGER_MAX if isinstance(kind, Integer) else BIGINT_MAX


# Where each imported text field is stored: (table, column). The importer's length checks use these.
TEXT_COLUMNS: dict[str, tuple] = {
    "verksamhet": (s.activities, "name"),
    "omrade": (s.activities, "area"),
    "kategori": (s.categories, "name"),
    "grupp": (s.categories, "client_group"),
    "enhet_sjuk": (s.sick_leave, "unit"),
    "kon": (s.sick_leave, "gender"),
    "aldersgrupp": (s.sick_leave, "age_group"),
    "yrkesgrupp": (s.sick_leave, "occupation"),
    "enhet_personal": (s.staff_turnover, "unit"),
    "kommentar": (s.forecasts_manual, "comment"),
    "indikator": (s.goal_indicators, "name"),
    "malomrade": (s.goal_indicators, "area"),
    "inriktningsmal": (s.goal_indicators, "goal"),
    "ansvarig": (s.goal_indicators, "responsible"),
    "uppdrag_namn": (s.goal_items, "name"),
    "uppdrag_kommentar": (s.goal_items, "comment"),
    "kolada_kommun": (s.kolada_values, "name"),
}


# A name that titles a slide or a sentence read aloud (a scenario, a locked version): "Scenario: " and 80
# characters fill two lines of a 1280×720 slide; a 200-character name took five and pushed the footer off.
TITLE_NAME = 80


def max_length(field: str) -> int:
    table, column = TEXT_COLUMNS[field]
    return min(text_length(table, column), 2000)
