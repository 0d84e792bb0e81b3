"""placements in saved forecast versions

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forecast_version_volumes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('is_actual', sa.Integer(), nullable=False),
    sa.Column('care_days', sa.Float(), nullable=False),
    sa.Column('cost_kr', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['forecast_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_version_volumes')),
    sa.UniqueConstraint('version_id', 'category', 'month', name='uq_forecast_version_volumes_key')
    )


def downgrade() -> None:
    op.drop_table('forecast_version_volumes')
