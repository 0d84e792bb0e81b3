"""saved forecast versions

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forecast_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cutoff_month', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_versions')),
    sa.UniqueConstraint('name', name='uq_forecast_versions_name')
    )
    op.create_table('forecast_version_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('method', sa.String(length=50), nullable=False),
    sa.Column('params', sa.Text(), server_default='{}', nullable=False),
    sa.Column('actual_ytd_kr', sa.BigInteger(), nullable=False),
    sa.Column('point_kr', sa.BigInteger(), nullable=False),
    sa.Column('p10_kr', sa.BigInteger(), nullable=False),
    sa.Column('p50_kr', sa.BigInteger(), nullable=False),
    sa.Column('p90_kr', sa.BigInteger(), nullable=False),
    sa.Column('budget_kr', sa.BigInteger(), nullable=True),
    sa.Column('prob_within_target', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['forecast_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_version_lines')),
    sa.UniqueConstraint('version_id', 'activity', name='uq_forecast_version_lines_key')
    )
    op.create_table('forecast_version_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('is_actual', sa.Integer(), nullable=False),
    sa.Column('amount_kr', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['forecast_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_version_months')),
    sa.UniqueConstraint('version_id', 'activity', 'month', name='uq_forecast_version_months_key')
    )


def downgrade() -> None:
    op.drop_table('forecast_version_months')
    op.drop_table('forecast_version_lines')
    op.drop_table('forecast_versions')
