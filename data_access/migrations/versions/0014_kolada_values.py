"""published key figures from Kolada for the comparison with similar municipalities

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kolada_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.String(length=10), nullable=False),
    sa.Column('municipality', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kolada_values')),
    sa.UniqueConstraint('kpi', 'municipality', 'year', name='uq_kolada_values_key')
    )


def downgrade() -> None:
    op.drop_table('kolada_values')
