"""saved versions' names unique but for case in the database itself

Revision ID: 0017
Revises: 0016

A locked table beside the versions holds each version's caseless name key (``data_access.formats.name_key``)
as its primary key. The versions' own rows, locked and hashed, are not touched. Of two versions already saved
under names that differ in case only, the elder's name holds the key; both stay as they were saved.
"""

from alembic import op
import sqlalchemy as sa

from data_access.formats import name_key


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

MESSAGE = "en sparad prognosversion är låst och kan inte ändras eller tas bort"


def upgrade() -> None:
    names = op.create_table(
        'forecast_version_names',
        sa.Column('name_key', sa.String(length=64), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['forecast_versions.id'], ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('name_key', name='pk_forecast_version_names'),
        sa.UniqueConstraint('version_id', name='uq_forecast_version_names_version_id'),
    )
    bind = op.get_bind()
    versions = sa.table('forecast_versions', sa.column('id'), sa.column('name'))
    keys = {}
    for row in bind.execute(sa.select(versions.c.id, versions.c.name).order_by(versions.c.id)).all():
        keys.setdefault(name_key(row.name), row.id)
    if keys:
        bind.execute(sa.insert(names), [{'name_key': key, 'version_id': version} for key, version in keys.items()])
    if bind.dialect.name == 'postgresql':
        op.execute(f"""CREATE TRIGGER forecast_version_names_no_change BEFORE UPDATE OR DELETE ON forecast_version_names
                       FOR EACH ROW EXECUTE FUNCTION namndpanelen_refuse_change('{MESSAGE}')""")
        op.execute(f"""CREATE TRIGGER forecast_version_names_no_truncate BEFORE TRUNCATE ON forecast_version_names
                       FOR EACH STATEMENT EXECUTE FUNCTION namndpanelen_refuse_change('{MESSAGE}')""")
        return
    for event in ('UPDATE', 'DELETE'):
        op.execute(f"""CREATE TRIGGER forecast_version_names_no_{event.lower()} BEFORE {event}
                       ON forecast_version_names BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")
    # REPLACE deletes the row it conflicts with without firing the delete trigger: refused first.
    op.execute(f"""CREATE TRIGGER forecast_version_names_no_replace BEFORE INSERT ON forecast_version_names
                   WHEN EXISTS (SELECT 1 FROM forecast_version_names WHERE name_key = NEW.name_key
                                OR version_id = NEW.version_id)
                   BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER forecast_version_names_no_change ON forecast_version_names")
        op.execute("DROP TRIGGER forecast_version_names_no_truncate ON forecast_version_names")
    else:
        for event in ('update', 'delete', 'replace'):
            op.execute(f"DROP TRIGGER forecast_version_names_no_{event}")
    op.drop_table('forecast_version_names')
