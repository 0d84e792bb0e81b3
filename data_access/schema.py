"""The tables of Nämndpanelen (SQLAlchemy Core). Changes go through Alembic migrations.

Money is stored in whole kronor with the ledger's sign (costs positive, income
negative), exactly as imported; the report sign is applied in ``domain``.
Sick leave is stored as hours, never as percentages.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint, text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

NAME = 200
LONG_NAME = 400  # an uppdrag is named by what it asks, often a sentence or two

dataset_info = Table(
    "dataset_info", metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

activities = Table(
    "activities", metadata,
    Column("name", String(NAME), primary_key=True),
    Column("area", String(NAME), nullable=False, server_default=""),
    Column("sort_order", Integer, nullable=False),
)

actuals = Table(
    "actuals", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("activity", String(NAME), nullable=False),
    Column("account_group", String(50), nullable=False),
    Column("amount_kr", BigInteger, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", "activity", "account_group", name="uq_actuals_key"),
)

budgets = Table(
    "budgets", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("activity", String(NAME), nullable=False),
    Column("account_group", String(50), nullable=False),
    Column("amount_kr", BigInteger, nullable=False),
    Column("profile", String(20), nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", "activity", "account_group", name="uq_budgets_key"),
)

forecasts_manual = Table(
    "forecasts_manual", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("cutoff_month", Integer, nullable=False),
    Column("activity", String(NAME), nullable=False),
    Column("account_group", String(50), nullable=False),
    Column("amount_kr", BigInteger, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "cutoff_month", "activity", "account_group", name="uq_forecasts_manual_key"),
)

categories = Table(
    "categories", metadata,
    Column("name", String(NAME), primary_key=True),
    Column("client_group", String(NAME), nullable=False, server_default=""),
    Column("unit", String(20), nullable=False, server_default="dygn"),
    Column("sort_order", Integer, nullable=False),
    # The verksamhet in the ledger whose costs include this category's placements.
    Column("activity", String(NAME), nullable=False, server_default=""),
)

volumes = Table(
    "volumes", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("category", String(NAME), nullable=False),
    Column("care_days", Float, nullable=False),
    Column("cost_kr", BigInteger, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", "category", name="uq_volumes_key"),
)

volume_budgets = Table(
    "volume_budgets", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("category", String(NAME), nullable=False),
    Column("care_days", Float, nullable=False),
    Column("unit_price_kr", Float, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "category", name="uq_volume_budgets_key"),
)

sick_leave = Table(
    "sick_leave", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("unit", String(NAME), nullable=False),
    Column("gender", String(50), nullable=False),
    Column("age_group", String(50), nullable=False),
    Column("occupation", String(NAME), nullable=False, server_default=""),
    Column("sick_hours_day1_14", Float, nullable=False),
    Column("sick_hours_day15_59", Float, nullable=False),
    Column("sick_hours_day60", Float, nullable=False),
    Column("scheduled_hours", Float, nullable=False),
    Column("employees", Integer, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", "unit", "gender", "age_group", "occupation", name="uq_sick_leave_key"),
)

import_log = Table(
    "import_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("user_name", String(NAME), nullable=False, server_default="lokal användare"),
    Column("reverts_id", Integer, nullable=True),
    Column("reason", Text, nullable=False, server_default=""),
)

# What each import replaced, per table and scope (the key columns it deleted by), as JSON: enough
# to put back exactly the rows that were there before, when the import is undone.
import_changes = Table(
    "import_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("import_log.id", name="fk_import_changes_import_id",
                                            ondelete="RESTRICT"), nullable=False, index=True),
    Column("table_name", String(50), nullable=False),
    Column("scope", Text, nullable=False),
    Column("removed", Text, nullable=False),
)

# Tables whose rows carry a period, for the summary; name -> (table, has month column).
PERIOD_TABLES = {
    "actuals": (actuals, "month"),
    "budgets": (budgets, "month"),
    "forecasts_manual": (forecasts_manual, "cutoff_month"),
    "volumes": (volumes, "month"),
    "volume_budgets": (volume_budgets, None),
    "sick_leave": (sick_leave, "month"),
    "import_log": (import_log, None),
}

forecast_versions = Table(
    "forecast_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("year", Integer, nullable=False),
    Column("cutoff_month", Integer, nullable=False),
    Column("data_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author", String(NAME), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    # SHA-256 over the header and every line, month and placement row (domain.integrity.version_hash).
    Column("content_sha256", String(64), nullable=True),
    UniqueConstraint("name", name="uq_forecast_versions_name"),
)

# A saved version's name under data_access.formats.name_key: no two versions have names that differ in case only.
# A table of its own beside the locked header, whose content hash it leaves as it was.
forecast_version_names = Table(
    "forecast_version_names", metadata,
    Column("name_key", String(64), primary_key=True),
    Column("version_id", Integer, ForeignKey("forecast_versions.id", ondelete="RESTRICT"), nullable=False,
           unique=True),
)

forecast_version_lines = Table(
    "forecast_version_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("forecast_versions.id", ondelete="RESTRICT"), nullable=False),
    Column("activity", String(NAME), nullable=False),
    Column("method", String(50), nullable=False),
    Column("params", Text, nullable=False, server_default="{}"),
    Column("actual_ytd_kr", BigInteger, nullable=False),
    Column("point_kr", BigInteger, nullable=False),
    Column("p10_kr", BigInteger, nullable=False),
    Column("p50_kr", BigInteger, nullable=False),
    Column("p90_kr", BigInteger, nullable=False),
    Column("budget_kr", BigInteger, nullable=True),
    Column("prob_within_target", Float, nullable=True),
    Column("comment", Text, nullable=False, server_default=""),
    UniqueConstraint("version_id", "activity", name="uq_forecast_version_lines_key"),
)

forecast_version_months = Table(
    "forecast_version_months", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("forecast_versions.id", ondelete="RESTRICT"), nullable=False),
    Column("activity", String(NAME), nullable=False),
    Column("month", Integer, nullable=False),
    Column("is_actual", Integer, nullable=False),
    Column("amount_kr", BigInteger, nullable=False),
    UniqueConstraint("version_id", "activity", "month", name="uq_forecast_version_months_key"),
)

forecast_version_volumes = Table(
    "forecast_version_volumes", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("forecast_versions.id", ondelete="RESTRICT"), nullable=False),
    Column("category", String(NAME), nullable=False),
    Column("month", Integer, nullable=False),
    Column("is_actual", Integer, nullable=False),
    Column("care_days", Float, nullable=False),
    Column("cost_kr", BigInteger, nullable=False),
    UniqueConstraint("version_id", "category", "month", name="uq_forecast_version_volumes_key"),
)

volume_forecasts = Table(
    "volume_forecasts", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("cutoff_month", Integer, nullable=False),
    Column("category", String(NAME), nullable=False),
    Column("care_days", Float, nullable=False),
    Column("unit_price_kr", Float, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "cutoff_month", "category", name="uq_volume_forecasts_key"),
)

PERIOD_TABLES["volume_forecasts"] = (volume_forecasts, "cutoff_month")

municipality_sick_leave = Table(
    "municipality_sick_leave", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("sick_hours", Float, nullable=False),
    Column("scheduled_hours", Float, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", name="uq_municipality_sick_leave_key"),
)

staff_turnover = Table(
    "staff_turnover", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("unit", String(NAME), nullable=False),
    Column("occupation", String(NAME), nullable=False, server_default=""),
    Column("employees", Integer, nullable=False),
    Column("leavers_external", Integer, nullable=False),
    Column("leavers_internal", Integer, nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("year", "month", "unit", "occupation", name="uq_staff_turnover_key"),
)

PERIOD_TABLES["municipality_sick_leave"] = (municipality_sick_leave, "month")
PERIOD_TABLES["staff_turnover"] = (staff_turnover, "month")

scenarios = Table(
    "scenarios", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("author", String(NAME), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("year", Integer, nullable=False),
    Column("cutoff_month", Integer, nullable=False),
    Column("base_label", String(NAME), nullable=False),
    Column("base_version_id", Integer, ForeignKey("forecast_versions.id", ondelete="RESTRICT"), nullable=True),
    Column("assumptions", Text, nullable=False),
    Column("for_meeting", Integer, nullable=False, server_default="0"),
    Column("deleted", Integer, nullable=False, server_default="0"),
    # data_access.formats.name_key(name): no two live scenarios have names that differ in case only.
    Column("name_key", String(64), nullable=False),
    UniqueConstraint("name", name="uq_scenarios_name"),
    Index("uq_scenarios_name_key", "name_key", unique=True, sqlite_where=text("deleted = 0"),
          postgresql_where=text("deleted = 0")),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(NAME), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object", Text, nullable=False, server_default=""),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    # The hash chain (domain.integrity.audit_row_hash): the previous entry's hash and this entry's.
    Column("prev_hash", String(64), nullable=True),
    Column("row_hash", String(64), nullable=True),
)

user_roles = Table(
    "user_roles", metadata,
    Column("identity", String(NAME), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("granted_by", String(NAME), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
)

def _forecast_result_key() -> list[Column]:
    """What names one stored forecast result: data version, period, kind and forecasting code."""
    return [Column("data_version", Integer, primary_key=True), Column("year", Integer, primary_key=True),
            Column("cutoff_month", Integer, primary_key=True), Column("kind", String(20), primary_key=True),
            Column("code_version", String(16), primary_key=True)]


forecast_results = Table(
    # Forecasts computed once per data version and shared by every server process (forecasting.serial).
    "forecast_results", metadata,
    *_forecast_result_key(),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    # SHA-256 of the data the result was computed from: a new data version with the same takes it over.
    Column("input_digest", String(64), nullable=True),
)

forecast_claims = Table(
    # Who is computing a result of forecast_results now (data_access.forecast_store): one process of
    # one replica per result; the holder renews the heartbeat while it computes.
    "forecast_claims", metadata,
    *_forecast_result_key(),
    Column("owner", String(200), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
)

# The goal structure (docs/mal.md): målområde → inriktningsmål → indikator, one row per indicator.
# ``computed`` names the figure the product fills itself (domain.goals.COMPUTED), "" for an imported one.
goal_indicators = Table(
    "goal_indicators", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("area", String(NAME), nullable=False),
    Column("goal", String(NAME), nullable=False),
    Column("origin", String(20), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("responsible", String(NAME), nullable=False, server_default=""),
    Column("computed", String(40), nullable=False, server_default=""),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("name", name="uq_goal_indicators_key"),
)

# An indicator's values per year (month 0) or month, in the indicator's unit as written (5,6 for 5,6 %).
goal_values = Table(
    "goal_values", metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator", String(NAME), nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("actual", Float, nullable=True),
    Column("target", Float, nullable=True),
    Column("target_low", Float, nullable=True),
    Column("target_high", Float, nullable=True),
    Column("forecast", Float, nullable=True),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("indicator", "year", "month", name="uq_goal_values_key"),
)

# KF uppdrag and nämndinitiativ, with their status, whether they follow plan, and a dated comment.
goal_items = Table(
    "goal_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(LONG_NAME), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("area", String(NAME), nullable=False, server_default=""),
    Column("goal", String(NAME), nullable=False, server_default=""),
    Column("responsible", String(NAME), nullable=False, server_default=""),
    Column("status", String(20), nullable=False),
    Column("plan", String(30), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("comment_date", String(10), nullable=False, server_default=""),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("name", name="uq_goal_items_key"),
)

# What a controller said about an indicator, an inriktningsmål or an uppdrag on the page: a dated
# comment, and an overriding bedömning (or a new status and plan). Append-only: the latest entry
# per object and year applies, the earlier ones are its history.
goal_notes = Table(
    "goal_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("author", String(NAME), nullable=False),
    Column("level", String(20), nullable=False),
    Column("name", String(LONG_NAME), nullable=False),
    Column("year", Integer, nullable=False),
    Column("assessment", String(20), nullable=True),
    Column("status", String(20), nullable=True),
    Column("plan", String(30), nullable=True),
    Column("comment", Text, nullable=False),
)

# Published key figures (Kolada, RKA) for the municipality, its comparison group and riket: one value
# per KPI, area and year, fetched from Kolada's API or imported from a file saved from it.
kolada_values = Table(
    "kolada_values", metadata,
    Column("id", Integer, primary_key=True),
    Column("kpi", String(10), nullable=False),
    Column("municipality", String(10), nullable=False),
    Column("name", String(NAME), nullable=False, server_default=""),
    Column("year", Integer, nullable=False),
    Column("value", Float, nullable=True),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("kpi", "municipality", "year", name="uq_kolada_values_key"),
)

PERIOD_TABLES["goal_values"] = (goal_values, None)
PERIOD_TABLES["kolada_values"] = (kolada_values, None)  # a whole year is month 0: the summary gives years

# Tables the database itself keeps append-only (migrations 0009, 0013, 0017, 0020): triggers refuse UPDATE and
# DELETE, and on PostgreSQL the application's role is granted only SELECT and INSERT on them.
APPEND_ONLY = ("audit_log", "forecast_versions", "forecast_version_names", "forecast_version_lines",
               "forecast_version_months", "forecast_version_volumes", "goal_notes", "import_changes")
