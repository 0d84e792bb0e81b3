"""The dataset's own facts that a user may change: the municipality's name shown in the panel."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from data_access import audit
from data_access.formats import FieldError, typed_name
from data_access.queries import dataset_info, log_change, set_dataset_info
from data_access.schema import NAME
from domain.access import SET_MUNICIPALITY, Actor


class DatasetError(ValueError):
    """The message is Swedish."""


def set_municipality(engine: Engine, actor: Actor, name: str) -> str:
    """Name the municipality (an admin's write, checked and kept in the audit trail). Returns the stored name."""
    audit.authorise(engine, actor, SET_MUNICIPALITY, object_=str(name)[:200])
    try:
        cleaned = typed_name(name, NAME, missing="Ange kommunens namn.", what="Kommunens namn")
    except FieldError as exc:
        raise DatasetError(str(exc)) from None
    before = dataset_info(engine)
    with engine.begin() as connection:
        # Sample data stay marked as the sample's under another name (2026-12-06 walk: renaming took the banner
        # away while every figure was still made up); ``clear`` is what ends them.
        set_dataset_info(connection, municipality=cleaned)
        audit.record(connection, user=actor.identity, action="kommunens namn ändrat", object_=cleaned,
                     before={"kommun": before.get("municipality")}, after={"kommun": cleaned})
        # A new data version, so that every server shows the new name at once: set from the command line, it
        # stood on the pages of a running server for minutes (2026-12-05 walk).
        log_change(connection, kind="installningar", what="kommunens namn", outcome="inställning ändrad",
                   message=f"Kommunens namn ändrat: {cleaned}", user=actor.identity)
    return cleaned
