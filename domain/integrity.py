"""Checksums that let a reader prove what the records said: the audit trail's hash chain and the
content hash of a saved forecast version.

Every audit entry carries the SHA-256 of its own content together with the hash of the entry before
it, so that changing, removing or inserting an entry anywhere breaks the chain from that point on.
A saved version carries the SHA-256 of its header and all its lines, months and placements, so a
printed paper that quotes the checksum can be compared with the database.

Both hashes are taken over one canonical serialisation: JSON with sorted keys, no spaces, UTF-8,
times in UTC with microseconds. Nothing here reads the database; ``data_access`` hands over rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.formatting import count_text

GENESIS = "0" * 64  # the "previous hash" of the first entry
SHORT = 12  # hex characters shown on pages and printed in the meeting papers
AUDIT_FIELDS = ("at", "user_name", "action", "object", "before", "after")


def canonical_time(value: dt.datetime | str) -> str:
    """A timestamp as UTC text with microseconds; a naive time is UTC (SQLite keeps no zone)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def audit_row_hash(row: Mapping[str, object], previous: str) -> str:
    """The hash of one audit entry: its content and the hash of the entry before it."""
    payload = {name: row[name] for name in AUDIT_FIELDS}
    payload["at"] = canonical_time(row["at"])
    payload["previous"] = previous
    return _digest(payload)


def short(digest: str | None) -> str:
    """The first characters of a checksum, as shown and printed."""
    return (digest or "")[:SHORT]


def checksum_prefix(text: str) -> str | None:
    """A checksum as copied from a paper, in lower case, when it can name one record: eight hex characters or more."""
    prefix = text.strip().lower()
    return prefix if len(prefix) >= 8 and all(c in "0123456789abcdef" for c in prefix) else None


# ------------------------------------------------------------------ forecast versions

def _integer(value) -> int | None:
    return None if value is None else int(value)


def _real(value) -> float | None:
    return None if value is None else float(value)


def version_hash(header: Mapping[str, object], lines: Iterable[Mapping[str, object]],
                 months: Iterable[Mapping[str, object]], volumes: Iterable[Mapping[str, object]]) -> str:
    """The content hash of a saved version, from the values exactly as they are stored.

    ``header`` has name, year, cutoff_month, data_version, created_at, author and note; the lines,
    months and volumes are their table's columns without ids. Rows are sorted here, so the order
    they were read in does not matter.
    """
    payload = {
        "version": {
            "name": str(header["name"]), "year": int(header["year"]), "cutoff_month": int(header["cutoff_month"]),
            "data_version": int(header["data_version"]), "created_at": canonical_time(header["created_at"]),
            "author": str(header["author"]), "note": str(header["note"] or ""),
        },
        "lines": sorted(({
            "activity": str(r["activity"]), "method": str(r["method"]), "params": str(r["params"]),
            "actual_ytd_kr": int(r["actual_ytd_kr"]), "point_kr": int(r["point_kr"]), "p10_kr": int(r["p10_kr"]),
            "p50_kr": int(r["p50_kr"]), "p90_kr": int(r["p90_kr"]), "budget_kr": _integer(r["budget_kr"]),
            "prob_within_target": _real(r["prob_within_target"]), "comment": str(r["comment"] or ""),
        } for r in lines), key=lambda r: r["activity"]),
        "months": sorted(({
            "activity": str(r["activity"]), "month": int(r["month"]), "is_actual": int(r["is_actual"]),
            "amount_kr": int(r["amount_kr"]),
        } for r in months), key=lambda r: (r["activity"], r["month"])),
        "volumes": sorted(({
            "category": str(r["category"]), "month": int(r["month"]), "is_actual": int(r["is_actual"]),
            "care_days": float(r["care_days"]), "cost_kr": int(r["cost_kr"]),
        } for r in volumes), key=lambda r: (r["category"], r["month"])),
    }
    return _digest(payload)


# ------------------------------------------------------------------ verification

@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the audit trail: entries checked, the last hash, and every break found."""

    entries: int
    head: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(rows: Iterable[Mapping[str, object]]) -> ChainReport:
    """Walk the audit entries in id order and say, in Swedish, where the chain breaks.

    An entry whose content no longer matches its hash was changed; an entry that does not point to
    the one before it means that entries were removed, inserted or reordered before it.
    """
    previous_hash, previous_id, count, problems = GENESIS, None, 0, []
    for row in rows:
        count += 1
        where = f"post {row['id']}"
        stored_previous, stored_hash = row["prev_hash"], row["row_hash"]
        if not stored_hash or not stored_previous:
            problems.append(f"{where}: saknar kontrollsumma (posten har lagts till utanför panelen).")
        else:
            if stored_previous != previous_hash:
                after = f"post {previous_id}" if previous_id is not None else "början av loggen"
                problems.append(f"{where}: kedjan bryts, posten pekar inte på {after}. Poster har tagits bort, "
                                "lagts till eller flyttats före den.")
            if audit_row_hash(row, stored_previous) != stored_hash:
                problems.append(f"{where}: innehållet stämmer inte med kontrollsumman; posten har ändrats "
                                f"({row['action']}, {row['user_name']}).")
        previous_hash, previous_id = stored_hash or "", row["id"]
    return ChainReport(count, previous_hash if count else None, problems)


@dataclass(frozen=True)
class VersionCheck:
    """One saved version: the checksum it carries, the one its rows give now, and the one in the audit trail."""

    id: int
    name: str
    stored: str | None
    computed: str
    audited: str | None = None
    # Whether the audit trail has the entry "prognosversion sparad" for it: a row written into the table past the
    # panel has none (2026-12-07 audit walk: a version inserted with SQL became the period's forecast).
    logged: bool = True

    @property
    def problem(self) -> str | None:
        if not self.logged:
            return (f'Prognosversion "{self.name}" (id {self.id}) har ingen post "prognosversion sparad" i '
                    "granskningsloggen: den har inte sparats genom panelen, eller posten har tagits bort.")
        if not self.stored:
            return f'Prognosversion "{self.name}" (id {self.id}) saknar kontrollsumma.'
        if self.stored != self.computed:
            return (f'Prognosversion "{self.name}" (id {self.id}): raderna stämmer inte med kontrollsumman '
                    f"{short(self.stored)}; versionen har ändrats efter att den sparades.")
        if self.audited is not None and self.audited != self.stored:
            return (f'Prognosversion "{self.name}" (id {self.id}): kontrollsumman {short(self.stored)} är inte den '
                    f"som skrevs i granskningsloggen när versionen sparades ({short(self.audited)}).")
        return None


def version_with_checksum(checks: Iterable[VersionCheck], text: str) -> VersionCheck | None:
    """The saved version whose stored checksum starts with ``text`` (as printed in the papers), if any."""
    prefix = checksum_prefix(text)
    return next((c for c in checks if prefix and c.stored and c.stored.lower().startswith(prefix)), None)


def _entries(count: int) -> str:
    return count_text(count, "post", "poster")


def verification_summary(chain: ChainReport, versions: list[VersionCheck],
                         imports: list[str] = ()) -> tuple[bool, str, list[str]]:
    """Whether everything holds, one sentence about it, and every problem found (Swedish); ``imports``: the
    import log's rows that differ from the audit trail's record of them."""
    problems = chain.problems + [check.problem for check in versions if check.problem] + list(imports)
    count = f"{len(versions)} sparade prognosversioner" if len(versions) != 1 else "1 sparad prognosversion"
    if not problems:
        head = f" Senaste kontrollsumma: {short(chain.head)}." if chain.head else ""
        return True, (f"Granskningsloggen är obruten ({_entries(chain.entries)}) och {count} stämmer med sina "
                      f"kontrollsummor.{head}"), []
    changes = "1 ändring" if len(problems) == 1 else f"{len(problems)} ändringar"
    return False, (f"Granskningen hittade {changes} som inte gjorts genom panelen "
                   f"({_entries(chain.entries)}, {count}). {WHAT_TO_DO}"), problems


# What the one who meets a failed check does next, on the Data page, on every page's banner and on the command line.
WHAT_TO_DO = ("Skicka inga mötespapper förrän det är utrett: kontakta databasadministratören, jämför med den senaste "
              "säkerhetskopian och med kontrollsummorna i tidigare papper.")


def excluded_versions_notice(problems: tuple[str, ...]) -> str:
    """Over every page while a saved version fails verification: it is left out, said with why and what to do."""
    if not problems:
        return ""
    which = ("En sparad prognosversion klarar inte granskningen och används varken på sidorna eller i "
             "mötespapperen" if len(problems) == 1 else
             f"{len(problems)} sparade prognosversioner klarar inte granskningen och används varken på sidorna eller "
             "i mötespapperen")
    return f"{which}: {' '.join(problems)} {WHAT_TO_DO}"


def broken_places(count: int) -> str:
    """'bruten på 1 ställe', 'bruten på 3 ställen'."""
    return f"bruten på {count_text(count, 'ställe', 'ställen')}"


def chain_note(report: ChainReport) -> str:
    """The audit trail's state as printed in the meeting papers: an anchor to check the trail against later, said
    without the command that shows it whole (the papers go to the nämnd; the README and Data give the command)."""
    if not report.ok:
        return (f"Granskningsloggen är {broken_places(len(report.problems))} (se sidan Data, fliken "
                "Granskningslogg).")
    if not report.head:
        return "Granskningsloggen är tom."
    return (f"Granskningsloggen när papperen skapades: {_entries(report.entries)}, senaste kontrollsumma "
            f"{short(report.head)}, som revisionen kan jämföra med databasen.")
