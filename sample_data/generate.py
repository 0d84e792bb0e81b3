"""Generate Exempelkommun's sample files (deterministic: fixed seed, committed output).

Calibrated to the published figures of a real socialnämnd (Norrtälje's operating plan
2025–2027 and interim report per August 2025): the same verksamheter with budgets of the
same size, the same intervention categories with their prices, and sick leave at the levels
of the 2024 series. Everything else is invented.

The placements agree with the books: each category's cost is a fixed part of the purchased
services (köp av tjänster) booked on its verksamhet in the same month (``CATEGORY_ACTIVITY``),
and its care days are that cost at the year's price. So the placements never cost more than the
ledger, and they over- or underrun their volume budget as the ledger does.

Run ``python -m sample_data.generate`` to write the files into ``sample_data/``.
"""

from __future__ import annotations

import argparse
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sample_data import CATEGORY_ACTIVITY, SAMPLE_DIR

SEED = 20250831
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2019, 2025, 8
BUDGET_YEARS = range(2019, 2028)

# name, area, net budget tkr 2024..2027 (report sign), income as share of gross cost, cost mix
# (personal, lokal, köp av tjänster, övriga, kapital).
ACTIVITIES = [
    ("Nämnd- och styrelseverksamhet", "Politisk verksamhet", (-1914, -2392, -2486, -2579), 0.0, (0.85, 0.0, 0.05, 0.10, 0.0)),
    ("Övrig politisk verksamhet", "Politisk verksamhet", (-627, -662, -688, -713), 0.0, (0.6, 0.0, 0.1, 0.3, 0.0)),
    ("Institutionsvård vuxna", "Individ- och familjeomsorg", (-13190, -13958, -14504, -15041), 0.04, (0.05, 0.0, 0.9, 0.05, 0.0)),
    ("Institutionsvård barn och unga", "Individ- och familjeomsorg", (-43264, -55769, -57953, -60098), 0.03, (0.04, 0.0, 0.92, 0.04, 0.0)),
    ("Familjehemsvård barn och unga", "Individ- och familjeomsorg", (-40162, -40628, -42215, -43777), 0.05, (0.35, 0.0, 0.55, 0.10, 0.0)),
    ("Öppna insatser vuxna", "Individ- och familjeomsorg", (-20425, -22804, -23697, -24574), 0.08, (0.45, 0.08, 0.40, 0.07, 0.0)),
    ("Öppna insatser barn och unga", "Individ- och familjeomsorg", (-23178, -29596, -30755, -31893), 0.06, (0.50, 0.08, 0.35, 0.07, 0.0)),
    ("Övriga insatser till vuxna", "Individ- och familjeomsorg", (-16863, -16841, -17500, -18148), 0.10, (0.30, 0.05, 0.55, 0.10, 0.0)),
    ("Ekonomiskt bistånd", "Individ- och familjeomsorg", (-70443, -71994, -74813, -77587), 0.05, (0.03, 0.0, 0.02, 0.95, 0.0)),
    ("Familjerätt och familjerådgivning", "Individ- och familjeomsorg", (-9402, -10418, -10823, -11226), 0.05, (0.80, 0.05, 0.10, 0.05, 0.0)),
    ("Gemensamma verksamheter", "Gemensamt och övrigt", (-89259, -92137, -95746, -99289), 0.12, (0.78, 0.08, 0.04, 0.085, 0.015)),
    ("Flyktingmottagande", "Gemensamt och övrigt", (222, 648, 673, 698), 1.04, (0.40, 0.10, 0.20, 0.30, 0.0)),
    ("Arbetsmarknadsåtgärder", "Gemensamt och övrigt", (-10995, -10701, -11120, -11531), 0.35, (0.60, 0.10, 0.15, 0.15, 0.0)),
    ("Bostadsverksamhet", "Gemensamt och övrigt", (-3381, -5717, -5941, -6161), 0.45, (0.10, 0.80, 0.0, 0.10, 0.0)),
]
COST_GROUPS = ("personalkostnader", "lokalhyror", "köp av tjänster", "övriga kostnader", "kapitalkostnader")

# Year outcome against budget on net cost (positive = favourable), as Norrtälje's budgetföljsamhet.
YEAR_ADHERENCE = {2019: -0.015, 2020: 0.01, 2021: 0.02, 2022: 0.056, 2023: 0.062, 2024: -0.041, 2025: 0.01}
# Lines that move against the rest, as in the 2025 report.
ACTIVITY_TILT = {"Ekonomiskt bistånd": 0.12, "Institutionsvård barn och unga": -0.10, "Öppna insatser barn och unga": -0.05}

PERSONNEL_SEASON = np.array([0.98, 0.96, 1.0, 0.99, 1.0, 1.06, 0.78, 0.90, 1.0, 1.01, 1.02, 1.30])
SERVICE_SEASON = np.array([0.97, 0.95, 1.02, 1.0, 1.01, 1.0, 0.95, 0.97, 1.0, 1.02, 1.02, 1.09])
INCOME_SEASON = np.array([0.7, 0.8, 1.1, 0.9, 0.9, 1.2, 0.6, 0.8, 1.1, 0.9, 0.9, 2.1])

# category, group, unit, (budget dygn 2024..2027), (budget kr per dygn 2024..2027). The published days
# weigh the categories of one verksamhet against each other; the days themselves follow from the ledger.
CATEGORIES = [
    ("Institutionsplaceringar barn och unga", "barn och unga", "dygn", (8246, 10089, 10201, 10844), (5584, 5885, 6032, 6183)),
    ("Arvoderad familjehemsvård barn och unga", "barn och unga", "dygn", (20219, 20922, 21153, 22487), (772, 814, 834, 855)),
    ("Konsulentstödd familjehemsvård barn och unga", "barn och unga", "dygn", (7953, 7010, 7088, 7534), (2764, 2914, 2987, 3062)),
    ("Stödboende unga", "barn och unga", "dygn", (2999, 2731, 2743, 2916), (1800, 1897, 1944, 1993)),
    ("Extern öppenvård barn och unga", "barn och unga", "dagar", (7565, 11553, 11681, 12417), (718, 756, 775, 794)),
    ("Kontaktfamilj/kontaktperson", "barn och unga", "dagar", (20458, 14150, 14307, 15208), (197, 208, 213, 219)),
    ("Vårdnadsöverflytt", "barn och unga", "dygn", (8159, 8772, 8869, 9429), (469, 494, 506, 519)),
    ("Skyddade boenden (våld i nära relationer)", "vuxna", "dygn", (3697, 3797, 3813, 3926), (2958, 3118, 3196, 3276)),
    ("Institutionsplaceringar vuxna", "vuxna", "dygn", (4804, 4816, 4888, 5033), (3071, 3237, 3318, 3401)),
    ("Externt stödboende vuxna", "vuxna", "dygn", (4497, 4670, 4740, 4880), (1492, 1573, 1612, 1653)),
]
# The part of a verksamhet's purchased services that its placement categories together make up.
PLACEMENT_SHARE = 0.85

UNITS = [  # enhet, yrkesgrupp, employees per (kön, åldersgrupp) cell before noise, base sick-leave level
    ("Barn och unga myndighet", "Socialsekreterare", {"Kvinna": (9, 16, 8), "Man": (2, 4, 2)}, 0.085),
    ("Vuxen myndighet", "Socialsekreterare", {"Kvinna": (5, 10, 6), "Man": (2, 3, 3)}, 0.080),
    ("Ekonomiskt bistånd", "Socialsekreterare", {"Kvinna": (6, 12, 7), "Man": (3, 4, 2)}, 0.075),
    ("Öppenvård", "Behandlare", {"Kvinna": (4, 9, 7), "Man": (3, 5, 4)}, 0.065),
    ("Familjerätt", "Familjerättssekreterare", {"Kvinna": (1, 2, 1), "Man": (0, 1, 0)}, 0.055),
    ("Administration och ledning", "Administratör", {"Kvinna": (2, 7, 8), "Man": (1, 3, 3)}, 0.050),
]
AGE_GROUPS = ("–29 år", "30–49 år", "50– år")
SICK_SEASON = np.array([1.25, 1.30, 1.15, 1.00, 1.05, 0.95, 0.70, 0.72, 0.95, 1.00, 1.08, 1.10])
SICK_TREND = {2019: 1.0, 2020: 1.15, 2021: 1.10, 2022: 1.12, 2023: 1.15, 2024: 1.12, 2025: 0.80}


def sv_number(value: float, decimals: int = 0) -> str:
    """Write a number the way Swedish exports do: decimal comma, no thousands separator."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",").replace("-", "−") if decimals else text.replace("-", "−")


@dataclass(frozen=True)
class Municipality:
    """What differs between the generated municipalities: their verksamheter, insatskategorier
    (with the verksamhet each belongs to) and first year of booked months."""

    activities: tuple
    categories: tuple
    category_activity: dict[str, str]
    first_year: int


SAMPLE = Municipality(tuple(ACTIVITIES), tuple(CATEGORIES), CATEGORY_ACTIVITY, FIRST_YEAR)
DISTRICTS = ("Nord", "Syd", "Öst", "Väst", "Centrum")


def large() -> Municipality:
    """A large municipality: 60 verksamheter, 25 insatskategorier and ten years of months.

    The sample's verksamheter and categories repeated per district ("Ekonomiskt bistånd, Nord"),
    each district with three fifths of the sample's budgets.
    """
    activities = tuple((f"{name}, {district}", area, tuple(round(v * 0.6) for v in nets), income, mix)
                       for district in DISTRICTS for name, area, nets, income, mix in ACTIVITIES)[:60]
    categories = tuple((f"{name}, {district}", group, unit, days, price)
                       for district in DISTRICTS for name, group, unit, days, price in CATEGORIES)[:25]
    mapping = {f"{name}, {district}": f"{CATEGORY_ACTIVITY[name]}, {district}"
               for district in DISTRICTS for name in CATEGORY_ACTIVITY}
    return Municipality(activities, categories, {c[0]: mapping[c[0]] for c in categories}, LAST_YEAR - 9)


def budget_years(municipality: Municipality) -> range:
    return range(min(BUDGET_YEARS[0], municipality.first_year), BUDGET_YEARS[-1] + 1)


def months(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, last_month: int = LAST_MONTH):
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            if (year, month) <= (last_year, last_month):
                yield year, month


def net_budget_tkr(values: tuple[int, int, int, int], year: int) -> float:
    by_year = dict(zip((2024, 2025, 2026, 2027), values))
    if year in by_year:
        return float(by_year[year])
    return values[0] * 1.035 ** (year - 2024)


def split_net(net_ledger_kr: float, income_ratio: float, mix) -> dict[str, float]:
    """Ledger amounts (cost positive, income negative) per kontogrupp for a net cost."""
    gross = net_ledger_kr / (1.0 - income_ratio)
    parts = {group: gross * share for group, share in zip(COST_GROUPS, mix) if share > 0}
    if income_ratio > 0:
        parts["intäkter"] = -gross * income_ratio
    return parts


def generate(rng: np.random.Generator, municipality: Municipality = SAMPLE) -> dict[str, list[list[str]]]:
    files: dict[str, list[list[str]]] = {}
    utfall = [["Månad", "Område", "Verksamhet", "Kontogrupp", "Belopp"]]
    budget = [["År", "Område", "Verksamhet", "Kontogrupp", "Belopp"]]
    prognos = [["Månad", "Verksamhet", "Belopp", "Kommentar"]]
    purchases: dict[tuple[str, int, int], float] = {}
    budget_purchases: dict[tuple[str, int], float] = {}
    first_year = municipality.first_year
    for name, area, nets, income_ratio, mix in municipality.activities:
        for year in budget_years(municipality):
            budget_ledger = -net_budget_tkr(nets, year) * 1000
            for group, amount in split_net(budget_ledger, income_ratio, mix).items():
                if group == "köp av tjänster":
                    budget_purchases[(name, year)] = amount
                budget.append([str(year), area, name, group, sv_number(round(amount, -3))])
        for year in range(first_year, LAST_YEAR + 1):
            budget_ledger = -net_budget_tkr(nets, year) * 1000
            tilt = ACTIVITY_TILT.get(name.partition(", ")[0], 0.0)
            adherence = YEAR_ADHERENCE.get(year, 0.0) + tilt * (1 if year == 2025 else 0.3) \
                + rng.normal(0, 0.025)
            actual_ledger = budget_ledger * (1 - adherence) if budget_ledger > 0 else budget_ledger * (1 + adherence)
            year_total = 0.0
            year_to_aug = 0.0
            for group, amount in split_net(actual_ledger, income_ratio, mix).items():
                season = {"personalkostnader": PERSONNEL_SEASON, "intäkter": INCOME_SEASON}.get(group, SERVICE_SEASON)
                season = season / season.mean()
                noise_level = 0.25 if group == "intäkter" else 0.06
                for month in range(1, 13):
                    value = amount / 12 * season[month - 1] * (1 + rng.normal(0, noise_level))
                    if group == "köp av tjänster" and rng.random() < 0.06:
                        value += abs(amount) / 12 * rng.uniform(0.3, 0.9)  # a few very expensive placements
                    if group == "köp av tjänster":
                        purchases[(name, year, month)] = value
                    year_total += value
                    if month <= 8:
                        year_to_aug += value
                    if (year, month) <= (LAST_YEAR, LAST_MONTH):
                        utfall.append([f"{year}-{month:02d}", area, name, group, sv_number(round(value, 2), 2)])
            # The managers' own forecasts: full-year net, made after April and after August.
            cutoffs = (4, 8) if year == LAST_YEAR else (8,)
            for cutoff in cutoffs:
                error = rng.normal(0.0, 0.06 if cutoff == 4 else 0.04)
                guess = year_total * (1 + error)
                comment = "" if abs(error) < 0.05 else "Osäker prognos, ärenden under utredning"
                prognos.append([f"{year}-{cutoff:02d}", name, sv_number(round(guess, -3)), comment])
    files["utfall.csv"] = utfall
    files["budget.csv"] = budget
    files["prognos.csv"] = prognos

    volymer, volymbudget = placements(rng, purchases, budget_purchases, municipality)
    files["volymer.csv"] = volymer
    files["volymprognos.csv"] = volume_forecasts(rng, volymer, municipality)
    files["volymbudget.csv"] = volymbudget

    sick = [["Period", "Enhet", "Kön", "Åldersgrupp", "Yrkesgrupp", "Sjuktimmar dag 1-14", "Sjuktimmar dag 15-59",
             "Sjuktimmar dag 60", "Ordinarie timmar", "Anställda"]]
    staff = {}
    for unit, occupation, cells, _level in UNITS:
        for gender, counts in cells.items():
            for age, count in zip(AGE_GROUPS, counts):
                staff[(unit, gender, age)] = count
    for year, month in months(first_year):
        for unit, occupation, cells, level in UNITS:
            for gender in cells:
                for age in AGE_GROUPS:
                    base = staff[(unit, gender, age)]
                    employees = max(0, int(round(base + rng.normal(0, 0.6))))
                    if employees == 0:
                        continue
                    scheduled = employees * 165.0 * (1 + rng.normal(0, 0.02))
                    rate = level * SICK_SEASON[month - 1] * SICK_TREND.get(year, 1.0) * rng.lognormal(0, 0.25)
                    rate = min(rate, 0.6)
                    long_share = np.clip(0.62 - (0.03 if year == 2025 else 0.0) + rng.normal(0, 0.08), 0.2, 0.9)
                    mid_share = np.clip(0.10 + rng.normal(0, 0.03), 0.02, 0.3)
                    total_sick = scheduled * rate
                    day60 = total_sick * long_share
                    day15 = total_sick * mid_share
                    day1 = max(0.0, total_sick - day60 - day15)
                    sick.append([f"{year}-{month:02d}", unit, gender, age, occupation, sv_number(day1, 1),
                                 sv_number(day15, 1), sv_number(day60, 1), sv_number(scheduled, 1), str(employees)])
    files["sjukfranvaro.csv"] = sick
    files["sjukfranvaro_kommun.csv"] = municipality_sick_leave(rng, first_year)
    files["personalomsattning.csv"] = staff_turnover(rng, staff, first_year)
    files.update(goal_structure(rng))
    files["kolada.csv"] = kolada_values(np.random.default_rng(KOLADA_SEED), utfall)
    return files


# Kolada's key figures for Exempelkommun, its comparison group and riket: fictional, like the rest of
# the sample, with fictional kommun codes (9001–9008; riket is Kolada's own 0000). Exempelkommun's cost
# figures are its own ledger divided by its inhabitants, so that this year's estimate and last year's
# published figure agree; the group's are scattered around them by fixed tilts.
KOLADA_SEED = 2021
KOLADA_YEARS = range(2020, 2025)
KOLADA_OWN = ("9001", "Exempelkommun")
KOLADA_GROUP = [("9002", "Jämförelsekommun A (fiktiv)"), ("9003", "Jämförelsekommun B (fiktiv)"),
                ("9004", "Jämförelsekommun C (fiktiv)"), ("9005", "Jämförelsekommun D (fiktiv)"),
                ("9006", "Jämförelsekommun E (fiktiv)"), ("9007", "Jämförelsekommun F (fiktiv)"),
                ("9008", "Jämförelsekommun G (fiktiv)")]
KOLADA_GROUP_NAME = "Liknande kommuner, IFO (fiktiv grupp)"
KOLADA_POPULATION_2024 = 46_850
# Per KPI: the verksamheter whose net cost it is (kr/inv) or a level of our own (percent), and how the
# group's median stands to us (0.85 = the group costs 15 % less than we do).
IFO_ACTIVITIES = ("Institutionsvård vuxna", "Institutionsvård barn och unga", "Familjehemsvård barn och unga",
                  "Öppna insatser vuxna", "Öppna insatser barn och unga", "Övriga insatser till vuxna",
                  "Ekonomiskt bistånd", "Familjerätt och familjerådgivning")
KOLADA_KPIS = {
    "N30005": (IFO_ACTIVITIES, 1.0, 0.96),
    "N30101": (IFO_ACTIVITIES, 1.06, 0.95),
    "N31001": (("Ekonomiskt bistånd",), 1.02, 0.82),
    "N33001": (("Institutionsvård barn och unga", "Familjehemsvård barn och unga", "Öppna insatser barn och unga"),
               1.04, 1.03),
    "N33007": (("Institutionsvård barn och unga",), 1.03, 0.86),
    "N33008": (("Familjehemsvård barn och unga",), 1.05, 1.22),
    "N35001": (("Institutionsvård vuxna", "Öppna insatser vuxna"), 0.82, 1.05),
    "N31807": (4.1, 0.0, 0.87),
    "N31816": (1.3, 0.0, 0.8),
    "N30001": (3.5, 0.0, None),
    # The municipality's own sick leave in Kolada: the level of sjukfranvaro_kommun.csv (about 5,9 %), so that
    # Sjukfrånvaro and Jämförelse tell the same story.
    "N00090": (5.9, 0.0, 0.97),
}


def kolada_values(rng: np.random.Generator, utfall: list[list[str]]) -> list[list[str]]:
    """Kolada's values as a file saved from kolada.se: KPI, kommun-id, kommun, år, värde."""
    net: dict[tuple[str, int], float] = {}
    for month, _area, activity, _group, amount in utfall[1:]:
        key = (activity, int(month[:4]))
        net[key] = net.get(key, 0.0) + float(amount.replace(",", ".").replace("\u2212", "-"))
    rows = [["KPI", "Kommun-id", "Kommun", "År", "Värde"]]
    members = [KOLADA_OWN, *KOLADA_GROUP]
    tilts = rng.normal(0, 0.09, size=(len(KOLADA_KPIS), len(KOLADA_GROUP)))
    for year in KOLADA_YEARS:
        population = round(KOLADA_POPULATION_2024 * (1 - 0.007) ** (2024 - year))
        for area_id, name in members:
            size = population if area_id == KOLADA_OWN[0] else round(population * (0.8 + 0.06 * int(area_id[-1])))
            rows.append(["N01951", area_id, name, str(year), str(size)])
        rows.append(["N01951", "0000", "Riket", str(year), str(round(10_550_000 * 1.007 ** (year - 2024)))])
        for (kpi, (source, factor, group_level)), tilt in zip(KOLADA_KPIS.items(), tilts):
            if isinstance(source, tuple):
                own = sum(net.get((activity, year), 0.0) for activity in source) * factor / population
                decimals = 0
            else:
                own = source * (1 + 0.02 * (year - 2024)) + rng.normal(0, 0.1)
                decimals = 1
            if group_level is None:  # nettokostnadsavvikelse: a deviation in percent, scattered around zero
                others = [float(d) for d in rng.normal(0.5, 4.0, size=len(KOLADA_GROUP))]
                riket = 0.0
            else:
                others = [own * group_level * (1 + d + rng.normal(0, 0.02)) for d in tilt]
                riket = own * group_level * 1.03
            rows.append([kpi, KOLADA_OWN[0], KOLADA_OWN[1], str(year), sv_number(own, decimals)])
            for (area_id, name), value in zip(KOLADA_GROUP, others):
                rows.append([kpi, area_id, name, str(year), sv_number(value, decimals)])
            rows.append([kpi, "0000", "Riket", str(year), sv_number(riket, decimals)])
    return rows


# The goal structure, modelled on Norrtälje's delårsrapport per August 2025: ten inriktningsmål in six
# målområden. Per indicator: målområde, inriktningsmål, name, KF/Nämnd, unit, direction, ansvarig, the
# figure the product computes ("" = imported), then (utfall 2022, 2023, 2024), the 2025 level the
# months move towards, mål 2025, prognos 2025 (None: none imported).
FORVALTNING, FORSORJNING, BARN = "Förvaltningskontoret", "Avdelningen för försörjning och arbete", "Avdelningen för barn och unga"
GOAL_AREAS = {"1": "1 Hållbar ekonomi och effektiv verksamhet", "2": "2 Service och tillgänglighet",
              "3": "3 Trygghet", "4": "4 Utbildning", "5": "5 Klimat och miljö", "7": "7 Arbete och försörjning"}
GOAL_INDICATORS = [
    ("1.1 En ekonomi i balans", "Budgetföljsamhet (avvikelse i % av budget)", "KF", "procent", "högre", FORVALTNING,
     "budgetföljsamhet", None, None, None, None),
    ("1.1 En ekonomi i balans", "Avvikelse mellan prognos per delår 2 och resultat i december", "Nämnd", "procent",
     "lägre", FORVALTNING, "5 % regeln", None, None, None, None),
    ("1.2 En effektiv verksamhet", "Vuxna biståndsmottagare med mycket långvarigt ekonomiskt bistånd", "KF", "antal",
     "lägre", FORSORJNING, "", (512, 488, 431), 396, 450, 410),
    ("2.2 Ta vara på digitaliseringens möjligheter", "Andel ansökningar om ekonomiskt bistånd som görs digitalt",
     "Nämnd", "procent", "högre", FORSORJNING, "", (41.0, 52.0, 61.0), 68.0, 65.0, None),
    ("3.2 Öka tryggheten i hemmet", "Andel våldsutsatta som fått en fast kontakt inom ett dygn", "KF", "procent",
     "högre", FORSORJNING, "", (None, 71.0, 78.0), 86.0, 85.0, 86.0),
    ("4.1 Skapa förutsättningar för höjda kunskapsresultat", "Andel placerade barn med en aktuell skolplan", "Nämnd",
     "procent", "högre", BARN, "", (74.0, 80.0, 88.0), 93.0, 90.0, None),
    ("7.1 Främja egen försörjning och integration", "Andel nyanlända med försörjningsstöd som har en handlingsplan",
     "KF", "procent", "högre", FORSORJNING, "", (100.0, 100.0, 100.0), 100.0, 100.0, 100.0),
    ("7.3 Rätt insats ska ges i rätt tid och av rätt aktör", "Genomsnittlig utredningstid barn och unga", "Nämnd",
     "dagar", "lägre", BARN, "", (104, 112, 121), 116, 95, 112),
    ("7.3 Rätt insats ska ges i rätt tid och av rätt aktör",
     "Andel individer med insats på arbetsmarknadscentrum som uppnått egen försörjning", "KF", "procent", "högre",
     FORSORJNING, "", (None, 27.0, 7.0), 6.0, 20.0, 8.0),
    ("7.3 Rätt insats ska ges i rätt tid och av rätt aktör", "Andel barnavårdsutredningar klara inom fyra månader",
     "Nämnd", "procent", "högre", BARN, "", (88.0, 84.0, 79.0), 77.0, 95.0, None),
]
# typ, namn, inriktningsmål ("" = none), ansvarig, status, plan, kommentar.
GOAL_ITEMS = [
    ("Uppdrag", "Socialtjänsten ska finnas tillgänglig även i kommunens större orter utanför centralorten",
     "2.3 Utveckla den kommunala servicen på landsbygd och i skärgård", FORVALTNING, "Påbörjad", "Enligt plan",
     "Mottagning på två orter öppnar i oktober."),
    ("Uppdrag", "Stödet till personer utsatta för våld i nära relation ska förbättras med en fast kontakt",
     "3.2 Öka tryggheten i hemmet", FORSORJNING, "Påbörjad", "Enligt plan", "Rutinen för fast kontakt gäller från maj."),
    ("Uppdrag", "Förbättra tillgången till tidiga insatser för barn och unga",
     "7.3 Rätt insats ska ges i rätt tid och av rätt aktör", BARN, "Påbörjad", "Enligt plan",
     "Utökningen av öppenvården är beslutad och rekrytering pågår."),
    ("Nämndinitiativ", "Revidera gällande tjänstegarantier", "1.2 En effektiv verksamhet", FORVALTNING, "Påbörjad",
     "Enligt plan", "Förslag till nämnden i november."),
    ("Nämndinitiativ", "Anta en handlingsplan för tillgängligheten på orter utanför centralorten",
     "2.3 Utveckla den kommunala servicen på landsbygd och i skärgård", FORVALTNING, "Påbörjad", "Enligt plan",
     "Handlingsplanen remitteras i september."),
    ("Nämndinitiativ", "Öka kunskapen om våld i ungas relationer genom uppsökande arbete",
     "3.2 Öka tryggheten i hemmet", BARN, "Påbörjad", "Avvikelse från plan",
     "Informationstillfällena flyttas till hösten; återrapportering före årets slut."),
    ("Nämndinitiativ", "Socialnämndens upphandlingar ska omfatta krav på ekonomisk, social och ekologisk hållbarhet",
     "5.1 Minskad klimatpåverkan", FORVALTNING, "Påbörjad", "Enligt plan",
     "Kraven ingår i två genomförda upphandlingar."),
    ("Nämndinitiativ", "Utreda hur insatser i samverkan kan främja egenförsörjning",
     "7.1 Främja egen försörjning och integration", FORSORJNING, "Påbörjad", "Enligt plan",
     "Genomlysningen slutrapporteras i oktober."),
    ("Nämndinitiativ", "Besluta om insatser som ska ges utan biståndsprövning", "", FORVALTNING, "Påbörjad",
     "Avvikelse från plan", "Beslutet skjuts till efter att den nya socialtjänstlagen trätt i kraft."),
    ("Nämndinitiativ", "Utveckla det systematiska kvalitetsarbetet", "1.2 En effektiv verksamhet", FORVALTNING,
     "Slutförd", "Enligt plan", "Ingår i ordinarie verksamhet och är därmed slutfört."),
    ("Nämndinitiativ", "Följa upp handlingsplanen mot välfärdsbrott", "3.1 Stärka tryggheten i hela kommunen",
     FORVALTNING, "Slutförd", "Avvikelse från plan", "Slutrapporterad i augusti, senare än planerat."),
]


def goal_structure(rng: np.random.Generator) -> dict[str, list[list[str]]]:
    """The three goal files: structure, values (whole years 2022–2024, months of 2024 and 2025 to the
    last booked month, mål and prognos 2025) and uppdrag/initiativ."""
    structure = [["Målområde", "Inriktningsmål", "Indikator", "Nivå", "Enhet", "Riktning", "Ansvarig", "Beräknad"]]
    values = [["Indikator", "År", "Månad", "Utfall", "Mål", "Prognos"]]
    decimals = {"procent": 1, "antal": 0, "dagar": 0}
    for goal, name, origin, unit, direction, responsible, computed, history, level, target, forecast in GOAL_INDICATORS:
        structure.append([GOAL_AREAS[goal.split(".")[0]], goal, name, origin, unit, direction, responsible, computed])
        if computed:
            continue
        places = decimals[unit]
        for year, value in zip((2022, 2023, 2024), history):
            if value is not None:
                values.append([name, str(year), "", sv_number(value, places), "", ""])
        start = history[-1]
        for month in range(1, 13):  # 2024's months end at its whole-year outcome
            value = history[-2] + (start - history[-2]) * month / 12 if history[-2] is not None else start
            noisy = value + rng.normal(0, 0.01 * max(abs(value), 1.0))
            values.append([name, "", f"2024-{month:02d}", sv_number(min(noisy, 100.0) if unit == "procent" else noisy, places), "", ""])
        for month in range(1, LAST_MONTH + 1):
            value = start + (level - start) * month / LAST_MONTH
            noisy = value + (rng.normal(0, 0.01 * max(abs(value), 1.0)) if month < LAST_MONTH else 0.0)
            values.append([name, "", f"{LAST_YEAR}-{month:02d}", sv_number(min(noisy, 100.0) if unit == "procent" else noisy, places), "", ""])
        # Without a prognos of its own the indicator is judged on the statistical forecast of its months.
        values.append([name, str(LAST_YEAR), "", "", sv_number(target, places),
                       "" if forecast is None else sv_number(forecast, places)])
    items = [["Typ", "Namn", "Målområde", "Inriktningsmål", "Ansvarig", "Status", "Plan", "Kommentar", "Datum"]]
    date = f"{LAST_YEAR}-{LAST_MONTH:02d}-31"
    items += [[kind, name, GOAL_AREAS[goal.split(".")[0]] if goal else "", goal, responsible, status, plan, comment, date]
              for kind, name, goal, responsible, status, plan, comment in GOAL_ITEMS]
    return {"indikatorer.csv": structure, "indikatorvarden.csv": values, "uppdrag.csv": items}


def placement_weights(municipality: Municipality = SAMPLE) -> dict[str, float]:
    """Each category's part of its verksamhet's purchased services: ``PLACEMENT_SHARE`` split by the
    categories' published budget cost (days × price) for 2025."""
    mapping = municipality.category_activity
    cost = {name: days[1] * price[1] for name, _group, _unit, days, price in municipality.categories}
    per_activity: dict[str, float] = {}
    for name, value in cost.items():
        per_activity[mapping[name]] = per_activity.get(mapping[name], 0.0) + value
    return {name: PLACEMENT_SHARE * value / per_activity[mapping[name]] for name, value in cost.items()}


def placements(rng: np.random.Generator, purchases: dict[tuple[str, int, int], float],
               budget_purchases: dict[tuple[str, int], float],
               municipality: Municipality = SAMPLE) -> tuple[list[list[str]], list[list[str]]]:
    """Monthly care days and cost per category, and the volume budget, drawn from the ledger.

    A category's cost in a month is its weight times the purchased services booked on its verksamhet
    that month (a little noise, never more than the verksamhet's purchases); its days are that cost
    at the month's price: the year's price level (the budget price, a few per cent off) with noise,
    and now and then a very expensive placement. The budget's days are the weight times the budgeted
    purchases at the budget price.
    """
    weights = placement_weights(municipality)
    volymer = [["Period", "Kategori", "Grupp", "Enhet", "Dygn", "Kostnad"]]
    volymbudget = [["År", "Kategori", "Grupp", "Enhet", "Dygn", "Pris"]]
    for name, group, unit, _budget_days, budget_price in municipality.categories:
        activity = municipality.category_activity[name]
        prices = {year: float(budget_price[year - 2024]) if year >= 2024 else budget_price[0] / 1.035 ** (2024 - year)
                  for year in budget_years(municipality)}
        for year in budget_years(municipality):
            days = weights[name] * budget_purchases[(activity, year)] / prices[year]
            volymbudget.append([str(year), name, group, unit, sv_number(round(days)), sv_number(round(prices[year]))])
        for year in range(municipality.first_year, LAST_YEAR + 1):
            level = prices[year] * (1 + rng.normal(0, 0.03))
            for month in range(1, 13):
                if (year, month) > (LAST_YEAR, LAST_MONTH):
                    break
                cost = weights[name] * purchases[(activity, year, month)] * min(1.1, 1 + rng.normal(0, 0.03))
                month_price = level * (1 + rng.normal(0, 0.05))
                if rng.random() < 0.03:
                    month_price *= rng.uniform(1.5, 1.9)  # ytterfall: a few very expensive placements
                volymer.append([f"{year}-{month:02d}", name, group, unit, sv_number(round(cost / month_price)),
                                sv_number(round(cost))])
    return volymer, volymbudget


# The municipality as a whole, shaped like Norrtälje's 2024 series (3–9 %, low in summer).
MUNICIPALITY_SEASON = np.array([1.45, 1.55, 1.35, 1.0, 1.1, 0.85, 0.6, 0.6, 0.85, 0.85, 1.0, 1.1])


def municipality_sick_leave(rng: np.random.Generator, first_year: int = FIRST_YEAR) -> list[list[str]]:
    rows = [["Period", "Sjuktimmar", "Ordinarie timmar"]]
    for year, month in months(first_year):
        scheduled = 4200 * 165.0 * (1 + rng.normal(0, 0.01))
        rate = 0.058 * MUNICIPALITY_SEASON[month - 1] * (0.95 if year == 2025 else 1.0) * (1 + rng.normal(0, 0.05))
        rows.append([f"{year}-{month:02d}", sv_number(scheduled * rate, 1), sv_number(scheduled, 1)])
    return rows


def staff_turnover(rng: np.random.Generator, staff: dict[tuple[str, str, str], int],
                   first_year: int = FIRST_YEAR) -> list[list[str]]:
    """Headcount and leavers per enhet and month; about 15 % external and 3 % internal turnover a year."""
    rows = [["Period", "Enhet", "Yrkesgrupp", "Anställda", "Avgångar extern", "Avgångar intern"]]
    occupations = {unit: occupation for unit, occupation, _cells, _level in UNITS}
    headcount = {}
    for (unit, _gender, _age), count in staff.items():
        headcount[unit] = headcount.get(unit, 0) + count
    for year, month in months(first_year):
        for unit, count in headcount.items():
            external = rng.poisson(count * (0.17 if year in (2022, 2023) else 0.14) / 12)
            internal = rng.poisson(count * 0.03 / 12)
            rows.append([f"{year}-{month:02d}", unit, occupations[unit], str(count), str(external), str(internal)])
    return rows


def volume_forecasts(rng: np.random.Generator, volymer: list[list[str]],
                     municipality: Municipality = SAMPLE) -> list[list[str]]:
    """The controllers' own full-year forecast of days and price per category, made after April and
    August: the year so far extrapolated by the controllers' judgement (a few per cent off either way)."""
    rows = [["Prognosmånad", "Kategori", "Dygn", "À-pris"]]
    parsed = [(int(r[0][:4]), int(r[0][5:]), r[1], float(r[4]), float(r[5])) for r in volymer[1:]]
    for year in range(municipality.first_year, LAST_YEAR + 1):
        for cutoff in ((4, 8) if year == LAST_YEAR else (8,)):
            for name, *_ in municipality.categories:
                ytd = [(d, c) for y, mth, k, d, c in parsed if y == year and mth <= cutoff and k == name]
                days = sum(d for d, _ in ytd)
                cost = sum(c for _, c in ytd)
                forecast_days = days * 12 / cutoff * (1 + rng.normal(0, 0.04))
                price = cost / days if days else 0.0
                rows.append([f"{year}-{cutoff:02d}", name, sv_number(round(forecast_days)),
                             sv_number(round(price * (1 + rng.normal(0.01, 0.03))))])
    return rows


def render(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write(directory: Path = SAMPLE_DIR, seed: int = SEED, municipality: Municipality = SAMPLE) -> dict[str, bytes]:
    """Write the sample files into ``directory`` and return their contents."""
    contents = {name: render(rows) for name, rows in generate(np.random.default_rng(seed), municipality).items()}
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        (directory / name).write_bytes(content)
    return contents


def main() -> None:
    parser = argparse.ArgumentParser(description="Skriv Exempelkommuns exempeldata.")
    parser.add_argument("--katalog", type=Path, default=None,
                        help="katalog att skriva till (exempeldata: sample_data/, --stor: storkommun/)")
    parser.add_argument("--stor", action="store_true",
                        help="en stor kommun: 60 verksamheter, 25 insatskategorier och tio års månader")
    arguments = parser.parse_args()
    municipality = large() if arguments.stor else SAMPLE
    folder = arguments.katalog or (Path("storkommun") if arguments.stor else SAMPLE_DIR)
    for name in write(folder, municipality=municipality):
        print(folder / name)


if __name__ == "__main__":
    main()
