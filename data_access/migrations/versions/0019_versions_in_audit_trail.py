"""every saved version has its entry "prognosversion sparad" in the audit trail

Revision ID: 0019
Revises: 0018

A version is used by the pages and the papers only when the audit trail records its saving: a row inserted into
the table past the panel has no such entry. A version saved before the trail recorded versions (or written by an
earlier revision's own steps) gets its entry here, once, by the user "migrering", with the checksum it carries
now: what the database holds at the upgrade is the baseline from which later changes are found.
"""

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

ACTION = 'prognosversion sparad'


def upgrade() -> None:
    from data_access import audit

    bind = op.get_bind()
    versions = sa.table('forecast_versions', sa.column('id'), sa.column('name'), sa.column('year'),
                        sa.column('cutoff_month'), sa.column('data_version'), sa.column('content_sha256'))
    log = sa.table('audit_log', sa.column('action'), sa.column('object'))
    logged = set(bind.execute(sa.select(log.c.object).where(log.c.action == ACTION)).scalars())
    for version in bind.execute(sa.select(versions).order_by(versions.c.id)).mappings().all():
        if version['name'] in logged:
            continue
        audit.record(bind, user='migrering', action=ACTION, object_=version['name'],
                     after={'år': version['year'], 'brytmånad': version['cutoff_month'],
                            'dataversion': version['data_version'], 'kontrollsumma': version['content_sha256'],
                            'registrerad': 'vid uppgraderingen: versionen sparades innan granskningsloggen förde '
                                           'prognosversioner'})


def downgrade() -> None:
    """The entries stay: the audit trail is never shortened."""
