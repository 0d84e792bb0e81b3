"""The canonical import formats and their validation (documented in docs/importformat.md).

A file is validated whole before anything is written: every problem is
reported with file, row, column and value.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from data_access.files import RawTable, printable
from data_access.limits import BOUNDS, max_length
from domain.numbers import NumberFormatError, parse_number, to_whole_kronor
from domain.periods import PeriodFormatError, parse_month, parse_year

ACCOUNT_GROUPS = (
    "intäkter", "personalkostnader", "lokalhyror", "köp av tjänster", "övriga kostnader", "kapitalkostnader",
)
UNSPECIFIED_GROUP = "ospecificerat"


@dataclass(frozen=True)
class Problem:
    file_name: str
    row: int | None
    column: str | None
    value: str
    message: str

    def __post_init__(self) -> None:
        # Messages quote values from the file: whatever they hold is shown escaped, never raw.
        object.__setattr__(self, "file_name", printable(self.file_name, 200))
        object.__setattr__(self, "message", printable(self.message, 1000))
        object.__setattr__(self, "value", printable(self.value, 60))
        if self.column is not None:
            object.__setattr__(self, "column", printable(self.column, 60))

    def __str__(self) -> str:
        where = [self.file_name]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn {self.column}")
        return ", ".join(where) + f": {self.message}"


class FieldError(ValueError):
    pass


def _scripts(text: str) -> set[str]:
    """The alphabets of the letters in ``text`` (LATIN, CYRILLIC, GREEK, …)."""
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.add(name.split(" ", 1)[0] if name else "?")
    return found


def clean_name(value: object, limit: int) -> str:
    """A name as it is stored: NFC, single spaces; refused if it hides characters or mixes alphabets.

    Invisible characters (zero-width spaces, soft hyphens, direction marks) and letters from two
    alphabets (a Cyrillic "а" in a Latin name) make a name that looks like another one but is not;
    such a name would silently become a new verksamhet, so it is refused with the character shown.
    """
    raw = unicodedata.normalize("NFC", "" if value is None else str(value))
    hidden = next((ch for ch in raw if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
                   and ch not in "\t\r\n"), None)
    if hidden is not None:
        raise FieldError(f'"{printable(raw)}" innehåller ett osynligt tecken eller styrtecken '
                         f"({printable(hidden)}); skriv namnet utan det")
    text = " ".join(raw.split())
    if text == "":
        raise FieldError("värde saknas")
    if len(text) > limit:
        raise FieldError(f"texten är {len(text)} tecken lång; högst {limit} tecken får plats")
    scripts = _scripts(text) - {"?"}
    if len(scripts) > 1:
        names = {"LATIN": "latinska", "CYRILLIC": "kyrilliska", "GREEK": "grekiska"}
        listed = " och ".join(sorted(names.get(script, script.lower()) for script in scripts))
        raise FieldError(f'"{printable(text)}" blandar bokstäver från olika alfabet ({listed}); skriv namnet '
                         "med samma alfabet rakt igenom")
    return text


def _name(field: str):
    limit = max_length(field)

    def parse(value: object) -> str:
        return clean_name(value, limit)
    return parse


def _optional_name(field: str):
    limit = max_length(field)

    def parse(value: object) -> str:
        text = " ".join(str(value).split())
        return "" if text == "" else clean_name(value, limit)
    return parse


def _month(value: object):
    try:
        return parse_month(value)
    except PeriodFormatError as exc:
        raise FieldError(str(exc)) from exc


def _year(value: object) -> int:
    try:
        return parse_year(value)
    except PeriodFormatError as exc:
        raise FieldError(str(exc)) from exc


def _number(value: object, bound: str) -> Decimal:
    try:
        number = parse_number(value)
    except NumberFormatError as exc:
        raise FieldError(str(exc)) from exc
    limit = BOUNDS[bound]
    if not limit.low <= number <= limit.high:
        if number < 0 and limit.low == 0:
            raise FieldError(f'"{printable(value)}" är negativt; värdet får inte vara mindre än 0')
        raise FieldError(f'"{printable(value)}" är orimligt stort ({limit.why})')
    return number


def _kronor(bound: str):
    def parse(value: object) -> int:
        return to_whole_kronor(_number(value, bound))
    return parse


def _non_negative(bound: str):
    def parse(value: object) -> float:
        return float(_number(value, bound))
    return parse


def _count(value: object) -> int:
    number = _number(value, "count")
    if number != number.to_integral_value():
        raise FieldError(f'"{printable(value)}" är inte ett heltal ≥ 0')
    return int(number)


def _account_group(value: object) -> str:
    text = " ".join(str(value).split()).lower()
    if text == "":
        return UNSPECIFIED_GROUP
    aliases = {"intakter": "intäkter", "verksamhetens intäkter": "intäkter", "personal": "personalkostnader",
               "lokaler": "lokalhyror", "lokalkostnader": "lokalhyror", "kop av tjanster": "köp av tjänster",
               "ovriga kostnader": "övriga kostnader", "kapitalkostnad": "kapitalkostnader"}
    text = aliases.get(text, unicodedata.normalize("NFC", text))
    if text not in ACCOUNT_GROUPS:
        allowed = ", ".join(ACCOUNT_GROUPS)
        raise FieldError(f'"{printable(value)}" är ingen känd kontogrupp (tillåtna: {allowed})')
    return text


def _comment(value: object) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    limit = max_length("kommentar")
    if len(text) > limit:
        raise FieldError(f"texten är {len(text)} tecken lång; högst {limit} tecken får plats")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise FieldError(f'"{printable(text)}" innehåller styrtecken')
    return text


def _unit(value: object) -> str:
    text = " ".join(str(value).split()).lower()
    if text == "":
        return "dygn"
    if text not in ("dygn", "dagar"):
        raise FieldError(f'"{printable(value)}" är ingen känd enhet (dygn eller dagar)')
    return text


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[object], object]
    required: bool = True
    aliases: tuple[str, ...] = ()
    default: object = None


@dataclass(frozen=True)
class ImportFormat:
    kind: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    additive: bool = True
    alternatives: tuple[tuple[str, ...], ...] = field(default=())

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


PERIOD = ("manad", "period", "ar_manad", "armanad", "bokforingsmanad", "datum")
ACTIVITY = ("verksamhet", "verksamhetsnamn")
AREA = ("omrade", "avdelning", "verksamhetsomrade")
GROUP = ("kontogrupp", "kontotyp")
AMOUNT = ("belopp", "belopp_kr", "kr", "summa", "netto")
CATEGORY = ("kategori", "insatskategori", "insats")

FORMATS: dict[str, ImportFormat] = {
    "utfall": ImportFormat(
        "utfall", "Bokfört utfall per månad",
        (
            Field("period", _month, aliases=PERIOD),
            Field("verksamhet", _name("verksamhet"), aliases=ACTIVITY),
            Field("kontogrupp", _account_group, required=False, aliases=GROUP, default=UNSPECIFIED_GROUP),
            Field("belopp", _kronor("belopp"), aliases=AMOUNT),
            Field("omrade", _optional_name("omrade"), required=False, aliases=AREA, default=""),
        ),
        key=("period", "verksamhet", "kontogrupp"),
    ),
    "budget": ImportFormat(
        "budget", "Budget per år (periodiseras) eller per månad",
        (
            Field("ar", _year, required=False, aliases=("ar", "budgetar", "year")),
            Field("period", _month, required=False, aliases=PERIOD),
            Field("verksamhet", _name("verksamhet"), aliases=ACTIVITY),
            Field("kontogrupp", _account_group, required=False, aliases=GROUP, default=UNSPECIFIED_GROUP),
            Field("belopp", _kronor("belopp"), aliases=AMOUNT),
            Field("omrade", _optional_name("omrade"), required=False, aliases=AREA, default=""),
        ),
        key=("ar", "period", "verksamhet", "kontogrupp"),
        alternatives=(("ar", "period"),),
    ),
    "volymer": ImportFormat(
        "volymer", "Vårddygn och kostnad per insatskategori och månad",
        (
            Field("period", _month, aliases=PERIOD),
            Field("kategori", _name("kategori"), aliases=CATEGORY),
            Field("dygn", _non_negative("dygn"), aliases=("dygn", "dagar", "varddygn", "volym")),
            Field("kostnad", _kronor("kostnad"), aliases=("kostnad", "kostnad_kr", "belopp")),
            Field("grupp", _optional_name("grupp"), required=False, aliases=("grupp", "malgrupp"), default=""),
            Field("enhet", _unit, required=False, aliases=("enhet", "volymenhet"), default="dygn"),
        ),
        key=("period", "kategori"),
    ),
    "volymbudget": ImportFormat(
        "volymbudget", "Budgeterade dygn och à-pris per insatskategori och år",
        (
            Field("ar", _year, aliases=("ar", "budgetar")),
            Field("kategori", _name("kategori"), aliases=CATEGORY),
            Field("dygn", _non_negative("dygn"), aliases=("dygn", "dagar", "varddygn", "volym")),
            Field("pris", _non_negative("pris"), aliases=("pris", "a_pris", "apris", "pris_per_dygn", "kr_per_dygn")),
            Field("grupp", _optional_name("grupp"), required=False, aliases=("grupp", "malgrupp"), default=""),
            Field("enhet", _unit, required=False, aliases=("enhet", "volymenhet"), default="dygn"),
        ),
        key=("ar", "kategori"),
        additive=False,
    ),
    "volymprognos": ImportFormat(
        "volymprognos", "Controllernas egen prognos för helårets dygn och à-pris per insatskategori",
        (
            Field("period", _month, aliases=PERIOD + ("prognosmanad", "brytmanad")),
            Field("kategori", _name("kategori"), aliases=CATEGORY),
            Field("dygn", _non_negative("dygn"), aliases=("dygn", "dagar", "varddygn", "volym")),
            Field("pris", _non_negative("pris"), aliases=("pris", "a_pris", "apris", "pris_per_dygn", "kr_per_dygn")),
        ),
        key=("period", "kategori"),
        additive=False,
    ),
    "sjukfranvaro": ImportFormat(
        "sjukfranvaro", "Sjuktimmar och ordinarie timmar per grupp och månad",
        (
            Field("period", _month, aliases=PERIOD),
            Field("enhet", _name("enhet_sjuk"), aliases=("enhet", "arbetsplats")),
            Field("kon", _name("kon"), aliases=("kon",)),
            Field("aldersgrupp", _name("aldersgrupp"), aliases=("aldersgrupp", "alder")),
            Field("yrkesgrupp", _optional_name("yrkesgrupp"), required=False, aliases=("yrkesgrupp", "befattning"), default=""),
            Field("sjuktimmar_dag1_14", _non_negative("hours"), aliases=("sjuktimmar_dag_1_14", "dag_1_14")),
            Field("sjuktimmar_dag15_59", _non_negative("hours"), aliases=("sjuktimmar_dag_15_59", "dag_15_59")),
            Field("sjuktimmar_dag60", _non_negative("hours"), aliases=("sjuktimmar_dag_60", "dag_60")),
            Field("ordinarie_timmar", _non_negative("hours"), aliases=("ordinarie_arbetstid", "schemalagda_timmar")),
            Field("anstallda", _count, aliases=("antal_anstallda",)),
        ),
        key=("period", "enhet", "kon", "aldersgrupp", "yrkesgrupp"),
    ),
    "sjukfranvaro_kommun": ImportFormat(
        "sjukfranvaro_kommun", "Kommunens samlade sjuktimmar och ordinarie timmar per månad (för jämförelse)",
        (
            Field("period", _month, aliases=PERIOD),
            Field("sjuktimmar", _non_negative("hours"), aliases=("sjuktimmar_totalt",)),
            Field("ordinarie_timmar", _non_negative("hours"), aliases=("ordinarie_arbetstid", "schemalagda_timmar")),
        ),
        key=("period",),
    ),
    "personalomsattning": ImportFormat(
        "personalomsattning", "Anställda och avgångar per enhet och månad",
        (
            Field("period", _month, aliases=PERIOD),
            Field("enhet", _name("enhet_personal"), aliases=("enhet", "arbetsplats")),
            Field("yrkesgrupp", _optional_name("yrkesgrupp"), required=False, aliases=("yrkesgrupp", "befattning"), default=""),
            Field("anstallda", _count, aliases=("antal_anstallda",)),
            Field("avgangar_extern", _count, aliases=("externa_avgangar", "avgangar_externt")),
            Field("avgangar_intern", _count, aliases=("interna_avgangar", "avgangar_internt")),
        ),
        key=("period", "enhet", "yrkesgrupp"),
    ),
    "prognos": ImportFormat(
        "prognos", "Verksamheternas egen helårsprognos per uppföljning",
        (
            Field("period", _month, aliases=PERIOD + ("prognosmanad", "brytmanad")),
            Field("verksamhet", _name("verksamhet"), aliases=ACTIVITY),
            Field("kontogrupp", _account_group, required=False, aliases=GROUP, default=UNSPECIFIED_GROUP),
            Field("belopp", _kronor("belopp"), aliases=AMOUNT + ("prognos",)),
            Field("kommentar", _comment, required=False, aliases=("kommentar", "kommentarer"), default=""),
        ),
        key=("period", "verksamhet", "kontogrupp"),
    ),
}

KINDS = tuple(FORMATS)


def normalise_header(header: str) -> str:
    """``Månad`` → ``manad``, ``À-pris`` → ``a_pris``, ``Sjuktimmar dag 1-14`` → ``sjuktimmar_dag_1_14``."""
    decomposed = unicodedata.normalize("NFKD", str(header).strip().lower())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("\ufeff", "")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")


def _compact(name: str) -> str:
    return name.replace("_", "")


def _known_names(fmt: ImportFormat) -> dict[str, str]:
    """Every accepted header (normalised and compacted) → the field it names."""
    known = {}
    for spec in fmt.fields:
        for name in (spec.name, *spec.aliases):
            known[name] = spec.name
            known[_compact(name)] = spec.name
    return known


def match_columns(fmt: ImportFormat, table: RawTable) -> tuple[dict[str, int], list[Problem]]:
    """Map each field to its column index.

    Refused: a missing required column, a column given twice (under the same or another accepted
    name), and an unknown header that is a near miss for a column the file lacks ("Kontogrup"),
    which would otherwise be ignored and every value silently fall back to its default.
    """
    normalised = [normalise_header(h) for h in table.headers]
    known = _known_names(fmt)
    mapping: dict[str, int] = {}
    problems = []
    for index, header in enumerate(normalised):
        name = known.get(header) or known.get(_compact(header))
        if name is None:
            continue
        if name in mapping:
            first = mapping[name]
            problems.append(Problem(table.file_name, 1, printable(table.headers[index], 40),
                                    printable(table.headers[index], 40),
                                    f'kolumnen {name} finns två gånger ("{printable(table.headers[first], 40)}" '
                                    f'i kolumn {first + 1} och "{printable(table.headers[index], 40)}" i kolumn '
                                    f"{index + 1}); ta bort den ena"))
            continue
        mapping[name] = index
    missing = {spec.name for spec in fmt.fields if spec.name not in mapping}
    candidates = {n: f for n, f in known.items() if f in missing}
    for index, header in enumerate(normalised):
        if not header or known.get(header) or known.get(_compact(header)):
            continue
        near = difflib.get_close_matches(header, list(candidates), n=1, cutoff=0.8)
        if near:
            field_name = candidates[near[0]]
            problems.append(Problem(table.file_name, 1, printable(table.headers[index], 40),
                                    printable(table.headers[index], 40),
                                    f'kolumnen "{printable(table.headers[index], 40)}" känns inte igen; menade '
                                    f"du {field_name}? Byt namn på kolumnen (eller ta bort den)"))
    for spec in fmt.fields:
        if spec.required and spec.name not in mapping:
            found = ", ".join(printable(h, 40) for h in table.headers[:30] if h) or "inga"
            problems.append(Problem(table.file_name, 1, spec.name, "",
                                    f"kolumnen {spec.name} saknas (hittade kolumner: {found})"))
    for group in fmt.alternatives:
        if not any(name in mapping for name in group):
            problems.append(Problem(table.file_name, 1, " eller ".join(group), "",
                                    f"filen behöver kolumnen {' eller '.join(group)}"))
    return mapping, problems


MAX_PROBLEMS_COLLECTED = 1000


def validate(kind: str, table: RawTable) -> tuple[list[dict[str, object]], list[Problem]]:
    """Parse every row; returns the records (with ``_row``) and the problems found.

    Collecting stops after ``MAX_PROBLEMS_COLLECTED`` problems (a last problem says so), so a
    file that is wrong on every one of a million rows costs no more than one that is right.
    """
    fmt = FORMATS[kind]
    mapping, problems = match_columns(fmt, table)
    if problems:
        return [], problems
    if not table.rows:
        return [], [Problem(table.file_name, None, None, "", "filen innehåller inga datarader")]
    records: list[dict[str, object]] = []
    for row_number, cells in table.rows:
        if len(problems) >= MAX_PROBLEMS_COLLECTED:
            problems.append(Problem(table.file_name, None, None, "",
                                    f"fler än {MAX_PROBLEMS_COLLECTED} fel; resten av filen kontrollerades inte"))
            break
        record: dict[str, object] = {"_row": row_number}
        for spec in fmt.fields:
            index = mapping.get(spec.name)
            raw = cells[index] if index is not None and index < len(cells) else ""
            raw_text = "" if raw is None else str(raw).strip()
            if raw_text == "" and not spec.required:
                record[spec.name] = spec.default
                continue
            try:
                record[spec.name] = spec.parse(raw)
            except FieldError as exc:
                problems.append(Problem(table.file_name, row_number, spec.name, printable(raw_text), str(exc)))
        for group in fmt.alternatives:
            if all(record.get(name) is None for name in group):
                problems.append(Problem(table.file_name, row_number, " eller ".join(group), "",
                                        f"raden saknar värde i {' eller '.join(group)}"))
        if kind == "sjukfranvaro" and not any(p.row == row_number for p in problems):
            sick = sum(float(record[f]) for f in ("sjuktimmar_dag1_14", "sjuktimmar_dag15_59", "sjuktimmar_dag60"))
            if sick > float(record["ordinarie_timmar"]) + 1e-9:
                index = mapping["ordinarie_timmar"]
                problems.append(Problem(table.file_name, row_number, "ordinarie_timmar",
                                        printable(cells[index] if index < len(cells) else ""),
                                        "sjuktimmarna är fler än de ordinarie timmarna"))
        records.append(record)
    if not fmt.additive and not problems:
        seen: dict[tuple, int] = {}
        for record in records:
            key = tuple(record.get(k) for k in fmt.key)
            if key in seen:
                problems.append(Problem(table.file_name, int(record["_row"]), None, "",
                                        f"raden upprepar rad {seen[key]} (samma {', '.join(fmt.key)})"))
            seen.setdefault(key, int(record["_row"]))
    return records, problems
