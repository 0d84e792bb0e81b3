"""A database brought to an earlier migration, to test what a later one does with the rows found there."""

import contextlib

from alembic import command

from data_access.engine import alembic_config


@contextlib.contextmanager
def at_revision(engine, revision: str, *, down: bool = False):
    """A connection in one transaction, after upgrading (or ``down``: downgrading) ``engine`` to ``revision``."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        yield connection
