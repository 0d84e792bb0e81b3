"""controllers volume forecasts

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('volume_forecasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cutoff_month', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('care_days', sa.Float(), nullable=False),
    sa.Column('unit_price_kr', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_forecasts')),
    sa.UniqueConstraint('year', 'cutoff_month', 'category', name='uq_volume_forecasts_key')
    )


def downgrade() -> None:
    op.drop_table('volume_forecasts')
