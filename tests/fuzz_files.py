"""Hostile and mutated import files of every kind, made from a random source.

Used by the bounded fuzz test (hypothesis draws the ``random.Random``) and by
``benchmarks/import_fuzz.py``, which runs the same at thousands of files.
"""

from __future__ import annotations

import io
import json
import random

TEMPLATES = {
    "utfall": ("Månad;Område;Verksamhet;Kontogrupp;Belopp",
               ["2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;4 912 345,50",
                "2025-08;IFO;Ekonomiskt bistånd;intäkter;−120 000", "2025-09;IFO;Familjerätt;personalkostnader;300"]),
    "budget": ("År;Verksamhet;Kontogrupp;Belopp", ["2025;Ekonomiskt bistånd;övriga kostnader;68 394 000",
                                                  "2025;Familjerätt;personalkostnader;1 200 000"]),
    "prognos": ("Månad;Verksamhet;Belopp;Kommentar", ["2025-08;Ekonomiskt bistånd;70 000 000;Fler hushåll",
                                                     "2025-08;Familjerätt;1 100 000;"]),
    "volymer": ("Månad;Kategori;Dygn;Kostnad;Grupp", ["2025-08;HVB barn;310;1 240 000;Barn och unga",
                                                     "2025-08;Familjehem;1 200;960 000;Barn och unga"]),
    "volymbudget": ("År;Kategori;Dygn;À-pris", ["2025;HVB barn;3 650;4 100", "2025;Familjehem;14 000;820"]),
    "volymprognos": ("Månad;Kategori;Dygn;À-pris", ["2025-08;HVB barn;3 900;4 150"]),
    "sjukfranvaro": ("Månad;Enhet;Kön;Åldersgrupp;Yrkesgrupp;Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;"
                     "Sjuktimmar dag 60-;Ordinarie timmar;Anställda",
                     ["2025-08;Försörjningsstöd;Kvinna;30–49;Socialsekreterare;120;40;0;4 200;28"]),
    "sjukfranvaro_kommun": ("Månad;Sjuktimmar;Ordinarie timmar", ["2025-08;51 000;820 000"]),
    "personalomsattning": ("Månad;Enhet;Yrkesgrupp;Anställda;Avgångar extern;Avgångar intern",
                           ["2025-08;Försörjningsstöd;Socialsekreterare;28;1;0"]),
    "indikatorer": ("Målområde;Inriktningsmål;Indikator;Nivå;Enhet;Riktning;Ansvarig;Beräknad",
                    ["1 Ekonomi;1.2 En effektiv verksamhet;Långvarigt bistånd;KF;antal;lägre;Försörjning;",
                     "7 Arbete;7.3 Rätt insats i rätt tid;Utredningstid;Nämnd;dagar;lägre;Barn och unga;",
                     "1 Ekonomi;1.1 En ekonomi i balans;Budgetföljsamhet;KF;procent;högre;;budgetföljsamhet"]),
    "indikatorvarden": ("Indikator;År;Månad;Utfall;Mål;Mål från;Mål till;Prognos",
                        ["Långvarigt bistånd;2024;;448;;;;", "Långvarigt bistånd;;2025-08;399;;;;",
                         "Långvarigt bistånd;2025;;;480;;;450", "Utredningstid;2025;;;;90;100;112"]),
    "uppdrag": ("Typ;Namn;Inriktningsmål;Ansvarig;Status;Plan;Kommentar;Datum",
                ["Uppdrag;Fast kontakt för våldsutsatta;3.2 Trygghet i hemmet;Försörjning;Påbörjad;Enligt plan;"
                 "Rutinen gäller från maj.;2025-08-31",
                 "Nämndinitiativ;Revidera tjänstegarantier;1.2 En effektiv verksamhet;;Slutförd;Avvikelse från plan;;"]),
    "kolada": ("KPI;Kommun-id;Kommun;År;Värde", ["N31001;0188;Norrtälje;2024;1 552", "N31001;0114;Upplands Väsby;2024;1250",
                                               "N31807;0000;Riket;2024;3,6", "N00090;0188;Norrtälje;2023;"]),
}
KINDS = tuple(TEMPLATES)

HOSTILE_CELLS = [
    "", " ", "9223372036854775807", "-9223372036854775808", "1" * 40, "1e30", "inf", "-inf", "nan", "NaN",
    "−0", "1,2,3", "1.234.567,89", "(12)", "12-", "0x10", "١٢٣", "１２３", "2025-02-30", "2025-13", "2025-08 hello",
    "0000-00", "9999-12", "aug 2025", "Ekonomiskt bistand", "Ekonomiskt bist\u0430nd", "Ekonomiskt\u200bbistånd",
    "Ekonomiskt bist\u00adånd", "Ekonomiskt\x00bistånd", "\x1b[31mröd\x1b[0m", "=HYPERLINK(\"http://x\",\"x\")",
    "![px](http://host/p.png)", "<a href='http://x'>x</a>", "K" * 51, "V" * 201, "X" * 2001, "\ufeff", "\ufffd",
    "e\u0301", "\U0001f600", "\u202eevil", "'; DROP TABLE actuals; --", "\"", "\"\"\"", ";", "\t", "\r",
]
MUTATIONS = ("cell", "bytes", "duplicate", "truncate", "header", "encoding", "empty", "xlsx", "columns")


def _csv(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def _xlsx(header: str, rows: list[str], rng: random.Random) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in [header, *rows]:
        cells: list[object] = line.split(";")
        if rng.random() < 0.3 and cells:
            cells[rng.randrange(len(cells))] = rng.choice([1e300, -1e300, 2**70, True, 0.1 + 0.2, "=1+1"])
        sheet.append(cells)
    if rng.random() < 0.2:
        sheet.cell(row=rng.randrange(1, 2000), column=rng.randrange(1, 300), value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


JSON_HOSTILE = [None, True, 1e308, -1e308, 2**70, "", "N3100", "n31001", "0188 ", "188", [], {}, [[[]]],
                {"value": 1}, "\u202e", "1" * 300, -0.0, "2024-01", 20245]


def _kolada_json(rows: list[str], rng: random.Random) -> bytes:
    """A saved answer from Kolada's API built from the template's rows, then made hostile."""
    entries = []
    for row in rows:
        kpi, area, name, year, value = (row.split(";") + [""] * 5)[:5]
        entries.append({"kpi": kpi, "municipality": area, "municipality_title": name, "period": year,
                        "values": [{"gender": rng.choice(["T", "T", "K", "M", "x", None]), "count": 1, "status": "",
                                    "value": value.replace(" ", "").replace(",", ".") or None}]})
    document: object = {"count": len(entries), "values": entries, "next_url": None}
    for _ in range(rng.randint(1, 3)):
        target = rng.choice(entries) if entries else {}
        field = rng.choice(["kpi", "municipality", "period", "values", "value", "gender", "document", "nest"])
        if field in ("value", "gender") and isinstance(target.get("values"), list) and target["values"]:
            target["values"][0][field] = rng.choice(JSON_HOSTILE + HOSTILE_CELLS)
        elif field == "document":
            document = rng.choice(JSON_HOSTILE)
        elif field == "nest":  # written out below: json.dumps itself stops at depth ~1000
            target["values"] = "@@deep@@"
        else:
            target[field] = rng.choice(JSON_HOSTILE + HOSTILE_CELLS)
    depth = rng.choice([10, 5000])
    text = json.dumps(document, ensure_ascii=False).replace('"@@deep@@"', "[" * depth + "1" + "]" * depth)
    if rng.random() < 0.2:
        text = text[: rng.randrange(len(text) + 1)]
    return text.encode(rng.choice(["utf-8", "utf-8", "utf-16", "latin-1"]), errors="replace")


def hostile_file(rng: random.Random) -> tuple[str, str, bytes]:
    """(kind, file name, content): a valid file of a random kind, then one to three mutations."""
    kind = rng.choice(KINDS)
    if kind == "kolada" and rng.random() < 0.5:
        return kind, "fuzz_kolada.json", _kolada_json(list(TEMPLATES[kind][1]), rng)
    header, rows = TEMPLATES[kind]
    rows = list(rows)
    encoding = "utf-8"
    mutations = [rng.choice(MUTATIONS) for _ in range(rng.randint(1, 3))]
    if "xlsx" in mutations:
        return kind, f"fuzz_{kind}.xlsx", _xlsx(header, rows, rng)
    for mutation in mutations:
        if mutation == "cell" and rows:
            index = rng.randrange(len(rows))
            cells = rows[index].split(";")
            cells[rng.randrange(len(cells))] = rng.choice(HOSTILE_CELLS)
            rows[index] = ";".join(cells)
        elif mutation == "duplicate" and rows:
            rows += [rng.choice(rows)] * rng.randint(1, 10)
        elif mutation == "truncate" and rows:
            rows[-1] = rows[-1][: rng.randrange(len(rows[-1]) + 1)]
        elif mutation == "header":
            names = header.split(";")
            index = rng.randrange(len(names))
            names[index] = rng.choice([names[index][:-1], names[index] * 2, names[(index + 1) % len(names)], "",
                                       names[index].upper(), names[index] + "\u200b"])
            header = ";".join(names)
        elif mutation == "encoding":
            encoding = rng.choice(["utf-8-sig", "cp1252", "utf-16", "mac_roman", "cp850", "latin-1"])
        elif mutation == "empty":
            rows = []
        elif mutation == "columns":
            header = header.replace(";", rng.choice([",", "\t", ";;", " "]))
    text = _csv(header, rows)
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode(encoding, errors="replace")
    if "bytes" in mutations and content:
        content = bytearray(content)
        for _ in range(rng.randint(1, 8)):
            content[rng.randrange(len(content))] = rng.randrange(256)
        content = bytes(content)
    return kind, f"fuzz_{kind}.csv", content
