"""which locked versions the sample saved, kept through ``clear``

Revision ID: 0018
Revises: 0017

The sample locks its delårsrapporter as versions "Delårsrapport 2 ÅÅÅÅ". Once its data are cleared they must no
longer stand as a period's forecast or be judged by the 5 % rule, so their ids are kept in ``dataset_info``
(``sample_versions``), which ``clear`` leaves. A database that loaded the sample before this revision has them
found by the note the sample wrote on each; the versions themselves are not touched.
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

KEY = 'sample_versions'
NOTE = '%Låst när exempeldata lästes in%'


def upgrade() -> None:
    bind = op.get_bind()
    info = sa.table('dataset_info', sa.column('key'), sa.column('value'))
    versions = sa.table('forecast_versions', sa.column('id'), sa.column('name'), sa.column('note'))
    if bind.execute(sa.select(info.c.value).where(info.c.key == KEY)).first() is not None:
        return
    ids = bind.execute(sa.select(versions.c.id).where(versions.c.name.like('Delårsrapport 2 %'),
                                                      versions.c.note.like(NOTE)).order_by(versions.c.id)).scalars()
    found = ','.join(str(i) for i in ids)
    if found:
        bind.execute(sa.insert(info).values(key=KEY, value=found))


def downgrade() -> None:
    op.get_bind().execute(sa.delete(sa.table('dataset_info', sa.column('key'))).where(sa.column('key') == KEY))
