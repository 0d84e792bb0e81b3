"""imports that can be undone: the import that wrote each row, and what it replaced; a category's verksamhet

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

DATA_TABLES = ('actuals', 'budgets', 'forecasts_manual', 'volumes', 'volume_budgets', 'volume_forecasts',
               'sick_leave', 'municipality_sick_leave', 'staff_turnover')


def upgrade() -> None:
    for table in DATA_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('import_log') as batch:
        batch.add_column(sa.Column('reverts_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))
    op.create_table('import_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=50), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('removed', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import_log.id'], name='fk_import_changes_import_id',
                            ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_changes'))
    )
    op.create_index('ix_import_changes_import_id', 'import_changes', ['import_id'])
    with op.batch_alter_table('categories') as batch:
        batch.add_column(sa.Column('activity', sa.String(length=200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('categories') as batch:
        batch.drop_column('activity')
    op.drop_index('ix_import_changes_import_id', table_name='import_changes')
    op.drop_table('import_changes')
    with op.batch_alter_table('import_log') as batch:
        batch.drop_column('reason')
        batch.drop_column('reverts_id')
    for table in DATA_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('import_id')
