"""Configuration of Nämndpanelen: environment variables with safe defaults, read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.access import configured_admins

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "namndpanelen.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str
    load_sample_on_empty: bool
    max_upload_mb: int
    max_problems_shown: int
    min_group_size: int
    admins: frozenset[str]
    forecast_workers: int | None
    precompute: bool = True
    kolada_url: str = "https://api.kolada.se/v3"
    kolada_timeout: float = 20.0


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja"}


def get_settings() -> Settings:
    """Read the configuration from the environment (documented in README.md)."""
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        load_sample_on_empty=_flag("NAMNDPANELEN_LOAD_SAMPLE", True),
        max_upload_mb=int(os.environ.get("NAMNDPANELEN_MAX_UPLOAD_MB", "200")),
        max_problems_shown=int(os.environ.get("NAMNDPANELEN_MAX_PROBLEMS", "200")),
        # Sick leave of groups smaller than this is never shown; three is the floor whatever is set.
        min_group_size=max(3, int(os.environ.get("NAMNDPANELEN_MIN_GROUP", "5"))),
        # The first administrators (e-mail or OIDC subject, comma-separated); always admin when logged in.
        admins=configured_admins(os.environ.get("NAMNDPANELEN_ADMIN")),
        # Processes that fit forecasts in parallel; unset = one per core, 0 or 1 = none.
        forecast_workers=int(os.environ["NAMNDPANELEN_FORECAST_WORKERS"])
        if os.environ.get("NAMNDPANELEN_FORECAST_WORKERS", "").strip() else None,
        # Fit the latest period's forecasts in the background as soon as a page is shown.
        precompute=_flag("NAMNDPANELEN_PRECOMPUTE", True),
        # Kolada's API (fetched on request only; without internet, import a file saved from Kolada instead).
        kolada_url=os.environ.get("NAMNDPANELEN_KOLADA_URL", "").strip() or "https://api.kolada.se/v3",
        kolada_timeout=float(os.environ.get("NAMNDPANELEN_KOLADA_TIMEOUT", "20") or 20),
    )
