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
)
