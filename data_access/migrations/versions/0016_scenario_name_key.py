"""live scenarios' names unique but for case in the database itself

Revision ID: 0016
Revises: 0015

A column with each scenario's caseless key (``data_access.formats.name_key``) and a unique index on it over
the live scenarios. Two live scenarios whose names differ in case only (which only two saves at the same moment
could make) keep the elder's name; the later one gets the first free number, as a save does.
"""

from alembic import op
import sqlalchemy as sa

from data_access.formats import name_key


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('scenarios', sa.Column('name_key', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    scenarios = sa.table('scenarios', sa.column('id'), sa.column('name'), sa.column('deleted'),
                         sa.column('name_key'))
    rows = bind.execute(sa.select(scenarios.c.id, scenarios.c.name, scenarios.c.deleted)
                        .order_by(scenarios.c.id)).all()
    taken = {row.name for row in rows}
    keys = {row.id: name_key(row.name) for row in rows}
    kept = {}  # the elder of each caseless name among the live scenarios keeps it
    for row in rows:
        if not row.deleted:
            kept.setdefault(keys[row.id], row.id)
    live = set(kept)
    for row in rows:
        name, key = row.name, keys[row.id]
        if not row.deleted and kept[key] != row.id:
            number = 2
            while name_key(f"{row.name} ({number})") in live or f"{row.name} ({number})" in taken:
                number += 1
            name = f"{row.name} ({number})"
            key = name_key(name)
            live.add(key)
            taken.add(name)
        bind.execute(sa.update(scenarios).where(scenarios.c.id == row.id).values(name=name, name_key=key))
    with op.batch_alter_table('scenarios') as batch:
        batch.alter_column('name_key', existing_type=sa.String(length=64), nullable=False)
    op.create_index('uq_scenarios_name_key', 'scenarios', ['name_key'], unique=True,
                    sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = 0'))


def downgrade() -> None:
    op.drop_index('uq_scenarios_name_key', table_name='scenarios')
    with op.batch_alter_table('scenarios') as batch:
        batch.drop_column('name_key')
