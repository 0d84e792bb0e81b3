"""Data-quality checks the controller runs before figures reach the nämnd."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pandas as pd

from domain.numbers import NumberFormatError, parse_number
from domain.periods import MONTH_ABBREVIATIONS

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
    it (back to the previous total), leaving out *varav* rows.
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
                                 "Regel": f"{headers[a]} − {headers[b]}"})
    start = 0
    for k, label in enumerate(labels):
        if not TOTAL_LABEL.match(label.strip()):
            continue
        parts = [j for j in range(start, k) if not PART_LABEL.match(labels[j].strip())]
        for i in numeric_columns:
            values = [numeric[i][j] for j in parts if numeric[i][j] is not None]
            published = numeric[i][k]
            if published is None or not values:
                continue
            computed = sum(values)
            if abs(computed - published) > TOLERANCE:
                findings.append({"Rad": row_numbers[k], "Radnamn": label, "Kolumn": headers[i],
                                 "Publicerat": published, "Beräknat": computed,
                                 "Skillnad": published - computed, "Regel": "summan av raderna ovanför"})
        start = k + 1
    return pd.DataFrame(findings, columns=columns)


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
