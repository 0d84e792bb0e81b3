"""Data-quality checks the controller runs before figures reach the nämnd."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pandas as pd

from domain.formatting import listing
from domain.numbers import NumberFormatError, parse_number
from domain.periods import MONTH_ABBREVIATIONS, long_month_label, parse_month
from domain.tables import Column, Table

TOLERANCE = 1.0  # published tables are rounded to whole units: a difference of one is rounding
TOTAL_LABEL = re.compile(r"^(summa|totalt?)\b", re.IGNORECASE)
PART_LABEL = re.compile(r"^varav\b", re.IGNORECASE)


def _months_text(months: list[int]) -> str:
    return ", ".join(MONTH_ABBREVIATIONS[m - 1] for m in sorted(months))


def coverage_findings(coverage: pd.DataFrame, year: int, through_month: int) -> pd.DataFrame:
    """Months missing for a verksamhet, budget without utfall and utfall without budget."""
    findings: list[dict[str, str]] = []
    if coverage.empty:
        return pd.DataFrame(columns=["Verksamhet", "Kontroll", "Månader"])
    for activity, rows in coverage.groupby("activity", sort=True):
        actual_months = set(rows.loc[rows["actual"] == 1, "month"].astype(int))
        budget_months = set(rows.loc[rows["budget"] == 1, "month"].astype(int))
        closed = set(range(1, through_month + 1))
        if not actual_months and budget_months & closed:
            findings.append({"Verksamhet": activity, "Kontroll": "Budget finns men inget utfall",
                             "Månader": _months_text(sorted(budget_months & closed))})
        elif actual_months and closed - actual_months:
            findings.append({"Verksamhet": activity, "Kontroll": "Utfall saknas för månader",
                             "Månader": _months_text(sorted(closed - actual_months))})
        if actual_months and not budget_months:
            findings.append({"Verksamhet": activity, "Kontroll": "Utfall finns men ingen budget",
                             "Månader": _months_text(sorted(actual_months))})
    return pd.DataFrame(findings, columns=["Verksamhet", "Kontroll", "Månader"])


# The monthly sources read beside the ledger, and the page that shows each (``lagging_sources``).
MONTHLY_SOURCES = {"volumes": ("volymerna", "Placeringar"), "sick_leave": ("sjukfrånvaron", "Sjukfrånvaro"),
                   "staff_turnover": ("personalomsättningen", "Sjukfrånvaro"),
                   "municipality_sick_leave": ("kommunens sjukfrånvaro", "Sjukfrånvaro")}


def lagging_sources(summary: dict[str, dict[str, object]], how: str = "på fliken Importera") -> str:
    """Said when a monthly source ends before the ledger (``queries.summary``): the check that finds no gap
    in the ledger said nothing of volumes read to August under September's utfall. ``how``: where the later months
    are read in (the command line says its own command)."""
    ledger, lasts = _against_ledger(summary, MONTHLY_SOURCES)
    behind = [(name, last) for name, last in lasts.items() if last < ledger]
    if not behind:
        return ""
    which = [f"{MONTHLY_SOURCES[name][0]} t.o.m. {_label(last)}" for name, last in behind]
    pages = list(dict.fromkeys(MONTHLY_SOURCES[name][1] for name, _ in behind))
    listed = listing(which, len(which))
    return (f"Utfallet är inläst t.o.m. {_label(ledger)}, men {listed}. "
            f"{' och '.join(pages)} visar {'dem' if len(which) > 1 else 'den'} t.o.m. den senaste inlästa "
            f"månaden; läs in de senare månaderna {how}.")


# What may hold months after the ledger's last: the monthly sources, and the verksamheternas prognos of a later
# month (named by the month it was made after).
LEADING_SOURCES = {name: f"{word} (t.o.m. {{}})" for name, (word, _) in MONTHLY_SOURCES.items()} | {
    "forecasts_manual": "verksamheternas prognos (per {})"}


def leading_sources(summary: dict[str, dict[str, object]]) -> str:
    """Said when a source holds months after the ledger's last (``queries.summary``): the pages show periods
    up to the latest booked month of utfall, and a later month of sick leave, volumes or forecast waits for its
    utfall (2026-12-07 controller walk: after September's utfall was undone, September's sick leave, volumes and
    forecasts stayed stored, and the pages showed August without a word of them)."""
    ledger, lasts = _against_ledger(summary, LEADING_SOURCES)
    ahead = [LEADING_SOURCES[name].format(_label(last)) for name, last in lasts.items() if last > ledger]
    if not ahead:
        return ""
    return (f"Senare månader än utfallets (t.o.m. {_label(ledger)}) finns för {listing(ahead, len(ahead))}. "
            "Sidorna visar perioderna t.o.m. den senast bokförda utfallsmånaden och tar med de senare månaderna när "
            "utfallet för dem är inläst.")


def _against_ledger(summary: dict[str, dict[str, object]], names) -> tuple[str, dict[str, str]]:
    """The ledger's last month and the last month of each of ``names`` that has one ("2025-08"); no sources
    where no utfall is read."""
    ledger = str((summary.get("actuals") or {}).get("last_period") or "")
    if not ledger:
        return "", {}
    lasts = {name: str(summary[name].get("last_period") or "") for name in names if name in summary}
    return ledger, {name: last for name, last in lasts.items() if last}


def _label(period: str) -> str:
    """"2025-08" as "aug 2025"."""
    return parse_month(period).label


def coverage_findings_table(findings: pd.DataFrame) -> Table:
    """``coverage_findings`` described once; the months wrap rather than run off a narrow screen."""
    columns = (Column("Verksamhet", "Verksamhet", width=30), Column("Kontroll", "Kontroll", width=30),
               Column("Månader", "Månader", width=40))
    return Table("Täckning", columns, tuple(findings.to_dict("records")))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _number_or_none(value: object) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(parse_number(value))
    except NumberFormatError:
        return None


def check_report_table(headers: list[str], rows: list[list[object]], row_numbers: list[int]) -> pd.DataFrame:
    """Recompute a published table's variance and total cells from its own rows.

    A column named *avvikelse* or *diff* is matched to the pair of columns whose
    difference it equals on most rows; rows where it does not are reported. A row
    whose label starts with *Summa* or *Totalt* is checked against the rows above
    it (back to the previous total), leaving out *varav* rows; a total of totals (a
    *Summa verksamheter* under each verksamhet's own *Summa*) against the earlier totals and
    any rows they left out.
    """
    columns = ["Rad", "Radnamn", "Kolumn", "Publicerat", "Beräknat", "Skillnad", "Regel"]
    numeric = {i: [_number_or_none(row[i]) if i < len(row) else None for row in rows] for i in range(len(headers))}
    numeric_columns = [i for i, values in numeric.items()
                       if sum(v is not None for v in values) >= max(1, len(rows) // 2)]
    label_index = next((i for i in range(len(headers)) if i not in numeric_columns), None)
    labels = [str(row[label_index]) if label_index is not None and label_index < len(row) else ""
              for row in rows]
    findings: list[dict[str, object]] = []
    variance_columns = [i for i in numeric_columns if re.search(r"avvik|diff", _plain(headers[i]))]
    sources = [i for i in numeric_columns if i not in variance_columns]
    for target in variance_columns:
        best, best_hits = None, 0
        for a, b in itertools.permutations(sources, 2):
            hits = sum(1 for x, y, t in zip(numeric[a], numeric[b], numeric[target])
                       if None not in (x, y, t) and abs((x - y) - t) <= TOLERANCE)
            if hits > best_hits:
                best, best_hits = (a, b), hits
        filled = sum(1 for t in numeric[target] if t is not None)
        if best is None or best_hits < max(2, 0.6 * filled):
            continue
        a, b = best
        for k, (x, y, t) in enumerate(zip(numeric[a], numeric[b], numeric[target])):
            if None not in (x, y, t) and abs((x - y) - t) > TOLERANCE:
                findings.append({"Rad": row_numbers[k], "Radnamn": labels[k], "Kolumn": headers[target],
                                 "Publicerat": t, "Beräknat": x - y, "Skillnad": t - (x - y),
                                 "Regel": f"{headers[a]} − {headers[b]}", "_from": (k, a, b, target)})
    # Totals. A row labelled Summa/Totalt adds up the rows since the previous total; a row whose
    # every figure is the sum of the rows just above it is a subtotal even without that word (an
    # area under its verksamheter), and stands for those rows from then on. A total of totals
    # ("Summa verksamheter" under the areas) adds up what stands since the previous total, or
    # everything still standing.
    def sums(rows: list[int], k: int) -> dict[int, float | None]:
        found = {}
        for i in numeric_columns:
            if numeric[i][k] is None:
                continue
            values = [numeric[i][j] for j in rows if numeric[i][j] is not None]
            found[i] = sum(values) if values else None
        return found

    def slack(rows: list[int]) -> float:
        """Each published figure is rounded by up to half a unit, so a sum of n may be off by n/2."""
        return max(TOLERANCE, 0.5 * len(rows))

    def matches(found: dict[int, float | None], k: int, rows: list[int]) -> bool:
        return bool(found) and all(v is None or abs(v - numeric[i][k]) <= slack(rows) for i, v in found.items())

    corrected: dict[tuple[int, int], float] = {}  # (row, column) → the sum of its rows, where the total is wrong
    slack_of: dict[int, float] = {}  # the rounding a total's corrected figure may carry
    standing: list[int] = []  # rows not yet summed, and (sub)totals standing for the rows they summed
    summed: set[int] = set()  # the (sub)totals among them
    last_total = -1
    for k, label in enumerate(labels):
        if PART_LABEL.match(label.strip()):
            continue
        trailing: list[int] = []
        for j in reversed(standing):
            if j in summed:
                break
            trailing.insert(0, j)
        if not TOTAL_LABEL.match(label.strip()):
            found = sums(trailing, k)
            if len(trailing) >= 2 and matches(found, k, trailing) and any(numeric[i][k] for i in found):
                standing = standing[:len(standing) - len(trailing)]
                summed.add(k)
            standing.append(k)
            continue
        since_total = [j for j in standing if j > last_total]
        candidates = [(trailing, "summan av raderna ovanför"),
                      (since_total, "summan av raderna och delsummorna ovanför"),
                      (list(standing), "summan av raderna och delsummorna ovanför")]
        candidates = [(rows, rule) for rows, rule in candidates if rows]
        if not candidates:
            last_total = k
            continue
        summed_up = [(rows, rule, sums(rows, k)) for rows, rule in candidates]
        rows, rule, found = next(((rows, rule, found) for rows, rule, found in summed_up
                                  if matches(found, k, rows)), summed_up[0])
        for i, computed in found.items():
            published = numeric[i][k]
            if computed is not None and abs(computed - published) > slack(rows):
                findings.append({"Rad": row_numbers[k], "Radnamn": label, "Kolumn": headers[i],
                                 "Publicerat": published, "Beräknat": computed,
                                 "Skillnad": published - computed, "Regel": rule})
                corrected[(k, i)] = computed
                slack_of[k] = slack(rows)
        standing = [j for j in standing if j not in rows] + [k]
        summed.add(k)
        last_total = k
    # A variance on a total whose own figure is wrong agrees with the rows once that figure is put right: the
    # error is the total's, found above, not the variance's (2026-12-07 Norrtälje walk: the volume table's
    # published prognos total 109 669 against its rows' 108 931, and its correct avvikelse −20 421 was blamed too).
    # A variance cell that is itself a wrong total is said once, as the total.
    kept = []
    for finding in findings:
        k, a, b, target = finding.pop("_from", (None, None, None, None))
        if k is not None and (k, target) in corrected:
            continue
        if k is not None and ((k, a) in corrected or (k, b) in corrected):
            x, y = corrected.get((k, a), numeric[a][k]), corrected.get((k, b), numeric[b][k])
            if abs((x - y) - finding["Publicerat"]) <= slack_of.get(k, TOLERANCE):
                continue
            finding |= {"Beräknat": x - y, "Skillnad": finding["Publicerat"] - (x - y)}
        kept.append(finding)
    return pd.DataFrame(kept, columns=columns)


def mismatch_table(findings: pd.DataFrame) -> Table:
    """``check_report_table``'s findings as a described table (figures in the published table's unit)."""
    return Table("Avvikelser i rapporttabellen", (
        Column("Rad", "Rad", "identifier", 6), Column("Radnamn", "Radnamn", width=30),
        Column("Kolumn", "Kolumn", width=24), Column("Publicerat", "Publicerat", "number"),
        Column("Beräknat", "Beräknat", "number"), Column("Skillnad", "Skillnad", "number"),
        Column("Regel", "Regel", width=40)), tuple(findings.to_dict("records")))


def placement_findings(reconciliation: pd.DataFrame, year: int) -> pd.DataFrame:
    """The placements' costs reconciled with the ledger, per verksamhet (amounts in kronor).

    A verksamhet's booked gross cost includes its placements, so the placements can never cost more
    than it: such a verksamhet is flagged "Över bokförd kostnad", with the excess
    as the difference. Otherwise the difference is the verksamhet's other costs.
    """
    columns = ["Verksamhet", "Kategorier", "Placeringar", "Bokförd kostnad", "Skillnad", "Kontroll", "Månader"]
    if reconciliation.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for row in reconciliation.itertuples():
        difference = float(row.ledger_cost_kr) - float(row.placement_kr)
        rows.append({"Verksamhet": row.activity, "Kategorier": int(row.categories),
                     "Placeringar": float(row.placement_kr), "Bokförd kostnad": float(row.ledger_cost_kr),
                     "Skillnad": difference,
                     "Kontroll": "Över bokförd kostnad" if difference < 0 else "Stämmer",
                     "Månader": f"{int(row.months)} månader {year}"})
    return pd.DataFrame(rows, columns=columns)


def placement_findings_table(findings: pd.DataFrame) -> Table:
    """``placement_findings`` described once; a verksamhet whose placements cost more than it is shaded."""
    columns = (Column("Verksamhet", "Verksamhet", width=30), Column("Kategorier", "Kategorier", "count", 10),
               Column("Placeringar", "Placeringar, tkr", "tkr"), Column("Bokförd kostnad", "Bokförd kostnad, tkr", "tkr"),
               Column("Skillnad", "Skillnad, tkr", "tkr"), Column("Kontroll", "Kontroll", width=22),
               Column("Månader", "Månader", width=16))
    records = findings.to_dict("records")
    return Table("Placeringar mot bokföringen", columns, tuple(records),
                 tuple("" if r["Kontroll"] == "Stämmer" else "warning" for r in records))


IMPORT_RECOMPUTED = ("Helårsprognosen räknas om i bakgrunden, och en sida som visar den säger hur långt beräkningen "
                     "kommit. Importen kan ångras under Importlogg och innehåll.")


def imported_sentence(done: str, shown: tuple[int, int] | None, latest: tuple[int, int] | None) -> str:
    """What the Data page says after a saved import (``done``, the importer's own message): that every page shows
    the new figures, or, when the session has chosen an earlier month than the latest booked (``shown``), that
    the pages go on showing it while the database holds data to ``latest`` (2026-12-07 controller walk: "Alla
    sidor visar nu de nya siffrorna" over a July that stayed July)."""
    if shown is None or latest is None or tuple(shown) >= tuple(latest):
        return f"{done} Alla sidor visar nu de nya siffrorna. {IMPORT_RECOMPUTED}"
    return (f"{done} Sidorna visar fortfarande {long_month_label(*shown)}, den period som är vald under Period; "
            f"databasen har nu data till och med {long_month_label(*latest)}. {IMPORT_RECOMPUTED}")
