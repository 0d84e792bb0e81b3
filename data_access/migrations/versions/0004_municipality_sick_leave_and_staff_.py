"""municipality sick leave and staff turnover

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('municipality_sick_leave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('sick_hours', sa.Float(), nullable=False),
    sa.Column('scheduled_hours', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality_sick_leave')),
    sa.UniqueConstraint('year', 'month', name='uq_municipality_sick_leave_key')
    )
    op.create_table('staff_turnover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('occupation', sa.String(length=200), server_default='', nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('leavers_external', sa.Integer(), nullable=False),
    sa.Column('leavers_internal', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_turnover')),
    sa.UniqueConstraint('year', 'month', 'unit', 'occupation', name='uq_staff_turnover_key')
    )


def downgrade() -> None:
    op.drop_table('staff_turnover')
    op.drop_table('municipality_sick_leave')
