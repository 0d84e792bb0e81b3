"""saved scenarios

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scenarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cutoff_month', sa.Integer(), nullable=False),
    sa.Column('base_label', sa.String(length=200), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('assumptions', sa.Text(), nullable=False),
    sa.Column('for_meeting', sa.Integer(), server_default='0', nullable=False),
    sa.Column('deleted', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['base_version_id'], ['forecast_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenarios')),
    sa.UniqueConstraint('name', name='uq_scenarios_name')
    )


def downgrade() -> None:
    op.drop_table('scenarios')
