"""Exempelkommun: a fictional municipality's data in the canonical import formats."""

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent
MUNICIPALITY = "Exempelkommun"

# The order matters: annual budgets are spread by the seasonal profile of earlier utfall.
SAMPLE_FILES = (
    ("utfall", "utfall.csv"),
    ("budget", "budget.csv"),
    ("prognos", "prognos.csv"),
    ("volymbudget", "volymbudget.csv"),
    ("volymer", "volymer.csv"),
    ("volymprognos", "volymprognos.csv"),
    ("sjukfranvaro", "sjukfranvaro.csv"),
    ("sjukfranvaro_kommun", "sjukfranvaro_kommun.csv"),
    ("personalomsattning", "personalomsattning.csv"),
    ("indikatorer", "indikatorer.csv"),
    ("indikatorvarden", "indikatorvarden.csv"),
    ("uppdrag", "uppdrag.csv"),
    ("kolada", "kolada.csv"),
)

# The verksamhet in the ledger whose costs hold each insatskategori's placements (the register's
# mapping, which a municipality keeps on the Data page).
CATEGORY_ACTIVITY = {
    "Institutionsplaceringar barn och unga": "Institutionsvård barn och unga",
    "Stödboende unga": "Institutionsvård barn och unga",
    "Arvoderad familjehemsvård barn och unga": "Familjehemsvård barn och unga",
    "Konsulentstödd familjehemsvård barn och unga": "Familjehemsvård barn och unga",
    "Vårdnadsöverflytt": "Familjehemsvård barn och unga",
    "Extern öppenvård barn och unga": "Öppna insatser barn och unga",
    "Kontaktfamilj/kontaktperson": "Öppna insatser barn och unga",
    "Institutionsplaceringar vuxna": "Institutionsvård vuxna",
    "Skyddade boenden (våld i nära relationer)": "Övriga insatser till vuxna",
    "Externt stödboende vuxna": "Övriga insatser till vuxna",
}
