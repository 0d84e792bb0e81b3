"""Kolada (RKA's open database of municipal key figures): its API, its saved answers, and the settings
of the comparison.

Kolada answers a data request with JSON of this shape (API version 3; version 2 differs only in
naming the next page ``next_page``)::

    {"count": 2, "values": [{"kpi": "N31001", "municipality": "0188", "period": 2024,
                             "values": [{"gender": "T", "count": 1, "status": "", "value": 3012.5}]}],
     "next_url": "https://api.kolada.se/v3/data/...&page=2"}

Everything read from the API or from a saved answer is outside data: it goes through the same
import as a file (checks, preview, audit trail, undo). The client only fetches; ``fetch`` hands the
merged answer to ``data_access.importer.import_file`` as a JSON file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import audit
from data_access import schema as s
from data_access.files import printable
from data_access.formats import FieldError, typed_name
from data_access.importer import ACCEPT_ALL, import_file
from data_access.queries import dataset_info, set_dataset_info
from domain.access import IMPORT, Actor
from domain.formatting import format_number_short, format_timestamp

LOG = logging.getLogger("namndpanelen.kolada")

DEFAULT_API = "https://api.kolada.se/v3"
RIKET = "0000"
MAX_PAGES = 200
MAX_ANSWER_BYTES = 50 * 1024 * 1024
# Kolada refuses a URL that names too many areas; eight kommuner per request is known to pass.
AREAS_PER_REQUEST = 8


def _host(url: str) -> str:
    """The server of an address, for a message the controller reads (the whole address, with every id asked
    for, is a few hundred characters; the log has it)."""
    return printable(urllib.parse.urlsplit(url).netloc or url, 60)


class KoladaError(RuntimeError):
    """Kolada could not be reached or answered with something other than its data; Swedish message."""


# ----------------------------------------------------------------------------------------------
# The API


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    members: tuple[tuple[str, str], ...]  # (kommun id, name)


class Client:
    """Kolada's API over HTTPS: pages followed, a timeout on every request, retries with back-off.

    A 5xx answer, a 429, a timeout or a refused connection is tried again (``retries`` times, waiting
    ``backoff`` × 2^n seconds); a 4xx answer is not. Every failure raises ``KoladaError`` in Swedish.
    """

    def __init__(self, base_url: str = DEFAULT_API, *, timeout: float = 20.0, retries: int = 3,
                 backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0

    def _get(self, url: str) -> dict:
        attempt = 0
        while True:
            self.requests += 1
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                               "User-Agent": "Namndpanelen"})
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 (https or test)
                    body = answer.read(MAX_ANSWER_BYTES + 1)
                if len(body) > MAX_ANSWER_BYTES:
                    raise KoladaError("Kolada svarade med mer än 50 MB; begär färre nyckeltal eller år åt gången.")
                try:
                    document = json.loads(body.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                    raise KoladaError(f"Kolada svarade med något som inte är JSON ({printable(url, 120)}).") from None
                if not isinstance(document, dict) or not isinstance(document.get("values"), list):
                    raise KoladaError(f'Koladas svar saknar listan "values" ({printable(url, 120)}).')
                return document
            except urllib.error.HTTPError as error:
                retry = error.code >= 500 or error.code == 429
                message = (f"Kolada svarade med fel {error.code} ({_host(url)})"
                           + (" (adressen finns inte: kontrollera nyckeltals- och kommun-id)" if error.code == 404
                              else " (för många id i en fråga eller ogiltigt id)" if error.code in (400, 422)
                              else " (Kolada har ett tillfälligt fel)" if retry else ""))
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
                reason = getattr(error, "reason", error)
                retry = True
                timed_out = isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason)
                message = (f"Kolada svarade inte inom {format_number_short(self.timeout)} sekunder" if timed_out
                           else "Kolada gick inte att nå från servern") + f" ({_host(url)})"
            if not retry or attempt >= self.retries:
                LOG.warning("Kolada: %s, adress %s", message, url)  # the whole address for the administrator
                tried = f" efter {attempt + 1} försök" if attempt else ""
                raise KoladaError(message + tried + ". Försök igen senare, eller läs in en fil som sparats från "
                                  "Kolada på sidan Data.")
            self.sleep(self.backoff * (2 ** attempt))
            attempt += 1

    def _pages(self, url: str) -> list[dict]:
        """Every entry of every page, following ``next_url`` (v3) or ``next_page`` (v2) on the same host."""
        host = urllib.parse.urlsplit(self.base_url).netloc
        entries: list[dict] = []
        seen = set()
        for _ in range(MAX_PAGES):
            document = self._get(url)
            entries.extend(document["values"])
            following = document.get("next_url") or document.get("next_page")
            if not following:
                return entries
            following = urllib.parse.urljoin(url, str(following))
            if urllib.parse.urlsplit(following).netloc != host or following in seen:
                raise KoladaError(f"Koladas svar pekar vidare till en oväntad adress ({printable(following, 120)}).")
            seen.add(following)
            url = following
        raise KoladaError(f"Kolada svarade med fler än {MAX_PAGES} sidor; begär färre nyckeltal eller år åt gången.")

    def values(self, kpis: Iterable[str], areas: Iterable[str], years: Iterable[int]) -> list[dict]:
        """Kolada's data entries for the KPIs, areas and years (areas asked for a few at a time)."""
        kpi_part = ",".join(urllib.parse.quote(k) for k in kpis)
        year_part = ",".join(str(int(y)) for y in years)
        areas = list(dict.fromkeys(areas))
        entries: list[dict] = []
        for start in range(0, len(areas), AREAS_PER_REQUEST):
            chunk = ",".join(urllib.parse.quote(a) for a in areas[start:start + AREAS_PER_REQUEST])
            entries += self._pages(f"{self.base_url}/data/kpi/{kpi_part}/municipality/{chunk}/year/{year_part}")
        return entries

    def group(self, group_id: str) -> Group:
        """A municipality group's title and members (``G36535``)."""
        entries = self._pages(f"{self.base_url}/municipality_groups/{urllib.parse.quote(group_id)}")
        entry = next((e for e in entries if isinstance(e, dict) and str(e.get("id")) == group_id), None)
        if entry is None:
            raise KoladaError(f"Kolada har ingen kommungrupp med id {printable(group_id, 20)}; sök gruppen på "
                              "kolada.se (till exempel ”Liknande kommuner, individ- och familjeomsorg”).")
        members = []
        for member in entry.get("members") or []:
            if isinstance(member, dict):
                mid = member.get("member_id", member.get("id"))
                title = member.get("member_title", member.get("title", ""))
                if mid:
                    members.append((printable(mid, 10), printable(title, 200)))
        return Group(group_id, printable(entry.get("title", group_id), 200), tuple(members))

    def kpis(self, ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Kolada's own title and latest publication date of each KPI: {id: {"title", "published"}}."""
        part = ",".join(urllib.parse.quote(i) for i in dict.fromkeys(ids))
        found = {}
        for entry in self._pages(f"{self.base_url}/kpi/{part}"):
            if isinstance(entry, dict) and entry.get("id"):
                published = str(entry.get("publication_date") or "")[:10]
                found[printable(entry["id"], 10)] = {"title": printable(entry.get("title", ""), 300),
                                                     "published": published if _is_date(published) else ""}
        return found

    def municipalities(self, ids: Iterable[str]) -> dict[str, str]:
        """Names of kommuner by id."""
        ids = list(dict.fromkeys(ids))
        names: dict[str, str] = {}
        for start in range(0, len(ids), AREAS_PER_REQUEST * 4):
            part = ",".join(urllib.parse.quote(i) for i in ids[start:start + AREAS_PER_REQUEST * 4])
            for entry in self._pages(f"{self.base_url}/municipality/{part}"):
                if isinstance(entry, dict) and entry.get("id"):
                    names[printable(entry["id"], 10)] = printable(entry.get("title", ""), 200)
        return names


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------------------------
# The comparison's settings (kept with the dataset's other facts)


@dataclass(frozen=True)
class Settings:
    municipality: str  # Kolada's id of our own kommun, "" until set
    group: tuple[str, ...]  # the comparison group's kommuner
    group_name: str
    group_id: str  # Kolada's group id when the group is one of Kolada's, else ""
    scope: tuple[str, ...] | None  # the verksamheter whose net cost is compared with the IFO KPI; None = all

    @property
    def ready(self) -> bool:
        return bool(self.municipality) and bool(self.group)


class SettingsError(ValueError):
    """A setting that cannot be used; Swedish message."""


def settings(engine: Engine) -> Settings:
    info = dataset_info(engine)
    scope = info.get("kolada_scope")
    return Settings(info.get("kolada_municipality", ""),
                    tuple(x for x in info.get("kolada_group", "").split(",") if x),
                    info.get("kolada_group_name", ""), info.get("kolada_group_id", ""),
                    tuple(json.loads(scope)) if scope else None)


def _area(value: str, what: str) -> str:
    text = "".join(str(value).split())
    if text.isdigit() and len(text) == 3:
        text = "0" + text
    if not (text.isdigit() and len(text) == 4):
        raise SettingsError(f'{what}: "{printable(value, 40)}" är ingen kommunkod (fyra siffror, till exempel 0188).')
    return text


def checked_group_id(value: str) -> str:
    """A Kolada municipality group's id, "G36535"; refused in Swedish otherwise."""
    text = "".join(str(value).split()).upper()
    if not (len(text) > 1 and text[0] == "G" and text[1:].isdigit() and len(text) <= 12):
        raise SettingsError(f'"{printable(value, 40)}" är inget id för en kommungrupp i Kolada (G och siffror, till '
                            "exempel G36535).")
    return text


def save_settings(engine: Engine, actor: Actor, *, municipality: str, group: Iterable[str], group_name: str,
                  group_id: str = "", scope: Iterable[str] | None = None) -> Settings:
    """Store the comparison's settings (a controller's or admin's write, kept in the audit trail)."""
    audit.authorise(engine, actor, IMPORT, object_="jämförelse: inställningar")
    own = _area(municipality, "Kommunens id")
    members = tuple(dict.fromkeys(_area(m, "Jämförelsegruppen") for m in group if str(m).strip()))
    members = tuple(m for m in members if m != own)
    if not members:
        raise SettingsError("Jämförelsegruppen behöver minst en annan kommun.")
    if len(members) > 60:
        raise SettingsError("Jämförelsegruppen får ha högst 60 kommuner.")
    try:
        name = typed_name(group_name, s.NAME, missing="", what="Gruppens namn") if str(group_name or "").strip() \
            else "jämförelsegruppen"
    except FieldError as exc:
        raise SettingsError(str(exc)) from None
    chosen = None if scope is None else sorted({" ".join(str(x).split()) for x in scope if str(x).strip()})
    before = settings(engine)
    with engine.begin() as connection:
        set_dataset_info(connection, kolada_municipality=own, kolada_group=",".join(members), kolada_group_name=name,
                         kolada_group_id=checked_group_id(group_id) if group_id else "",
                         kolada_scope="" if chosen is None else json.dumps(chosen, ensure_ascii=False))
        audit.record(connection, user=actor.identity, action="jämförelsens inställningar ändrade", object_=own,
                     before={"kommun": before.municipality, "grupp": list(before.group)},
                     after={"kommun": own, "grupp": list(members), "gruppnamn": name,
                            "verksamheter": chosen if chosen is not None else "alla"})
    return settings(engine)


# ----------------------------------------------------------------------------------------------
# Fetching and reading what is stored


def fetch(engine: Engine, actor: Actor, client: Client, kpis: Iterable[str], years: Iterable[int]):
    """Fetch the KPIs for our kommun, the group and riket and import them as one file (all or nothing).

    Returns the import's result; raises ``KoladaError`` when Kolada cannot be reached or answers wrongly,
    ``SettingsError`` when the comparison is not set up.
    """
    current = settings(engine)
    if not current.ready:
        raise SettingsError("Ange kommunens id och jämförelsegruppen först (Jämförelse › Inställningar eller "
                            "python -m data_access kolada installningar).")
    areas = [current.municipality, *current.group, RIKET]
    # An entry repeated word for word (pages that overlap) is kept once; two that differ are refused by the import.
    entries = list({json.dumps(e, sort_keys=True): e for e in client.values(kpis, areas, years)}.values())
    names = {}
    try:
        names = client.municipalities([a for a in areas if a != RIKET])
    except KoladaError:
        LOG.warning("kommunernas namn kunde inte hämtas från Kolada; id visas i stället")
    names[RIKET] = "Riket"
    try:
        described = client.kpis(kpis)
    except KoladaError:
        LOG.warning("nyckeltalens beskrivning kunde inte hämtas från Kolada")
        described = None
    for entry in entries:
        if isinstance(entry, dict):
            entry["municipality_title"] = names.get(str(entry.get("municipality", "")), "")
    content = json.dumps({"count": len(entries), "values": entries}, ensure_ascii=False).encode("utf-8")
    stamp = format_timestamp(dt.datetime.now(dt.timezone.utc))
    result = import_file(engine, "kolada", content, f"Kolada API {stamp}.json", actor=actor, accept=ACCEPT_ALL,
                         save_unchanged=True)
    if result.ok and described is not None:
        with engine.begin() as connection:
            set_dataset_info(connection, kolada_kpis=json.dumps(described, ensure_ascii=False))
    return result


def described_kpis(engine: Engine) -> dict[str, dict[str, str]]:
    """Kolada's title and publication date per KPI, as of the latest fetch ({} before one)."""
    text = dataset_info(engine).get("kolada_kpis", "")
    try:
        found = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def stored_values(engine: Engine) -> pd.DataFrame:
    """Every stored Kolada value with when and from where it came: kpi, municipality, name, year, value,
    fetched_at (UTC) and source (the file name, "Kolada API …" for a fetch)."""
    query = (select(s.kolada_values.c.kpi, s.kolada_values.c.municipality, s.kolada_values.c.name,
                    s.kolada_values.c.year, s.kolada_values.c.value, s.import_log.c.imported_at.label("fetched_at"),
                    s.import_log.c.file_name.label("source"))
             .select_from(s.kolada_values.outerjoin(s.import_log, s.import_log.c.id == s.kolada_values.c.import_id))
             .order_by(s.kolada_values.c.kpi, s.kolada_values.c.municipality, s.kolada_values.c.year))
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame["fetched_at"] = pd.to_datetime(frame["fetched_at"], utc=True)
    return frame
