"""initial schema

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activities',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area', sa.String(length=200), server_default='', nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_activities'))
    )
    op.create_table('actuals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('account_group', sa.String(length=50), nullable=False),
    sa.Column('amount_kr', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actuals')),
    sa.UniqueConstraint('year', 'month', 'activity', 'account_group', name='uq_actuals_key')
    )
    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('account_group', sa.String(length=50), nullable=False),
    sa.Column('amount_kr', sa.BigInteger(), nullable=False),
    sa.Column('profile', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('year', 'month', 'activity', 'account_group', name='uq_budgets_key')
    )
    op.create_table('categories',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('client_group', sa.String(length=200), server_default='', nullable=False),
    sa.Column('unit', sa.String(length=20), server_default='dygn', nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_categories'))
    )
    op.create_table('dataset_info',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_dataset_info'))
    )
    op.create_table('forecasts_manual',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cutoff_month', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('account_group', sa.String(length=50), nullable=False),
    sa.Column('amount_kr', sa.BigInteger(), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecasts_manual')),
    sa.UniqueConstraint('year', 'cutoff_month', 'activity', 'account_group', name='uq_forecasts_manual_key')
    )
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), server_default='', nullable=False),
    sa.Column('user_name', sa.String(length=200), server_default='lokal användare', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    op.create_table('sick_leave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.String(length=50), nullable=False),
    sa.Column('age_group', sa.String(length=50), nullable=False),
    sa.Column('occupation', sa.String(length=200), server_default='', nullable=False),
    sa.Column('sick_hours_day1_14', sa.Float(), nullable=False),
    sa.Column('sick_hours_day15_59', sa.Float(), nullable=False),
    sa.Column('sick_hours_day60', sa.Float(), nullable=False),
    sa.Column('scheduled_hours', sa.Float(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sick_leave')),
    sa.UniqueConstraint('year', 'month', 'unit', 'gender', 'age_group', 'occupation', name='uq_sick_leave_key')
    )
    op.create_table('volume_budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('care_days', sa.Float(), nullable=False),
    sa.Column('unit_price_kr', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_budgets')),
    sa.UniqueConstraint('year', 'category', name='uq_volume_budgets_key')
    )
    op.create_table('volumes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('care_days', sa.Float(), nullable=False),
    sa.Column('cost_kr', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volumes')),
    sa.UniqueConstraint('year', 'month', 'category', name='uq_volumes_key')
    )


def downgrade() -> None:
    op.drop_table('volumes')
    op.drop_table('volume_budgets')
    op.drop_table('sick_leave')
    op.drop_table('import_log')
    op.drop_table('forecasts_manual')
    op.drop_table('dataset_info')
    op.drop_table('categories')
    op.drop_table('budgets')
    op.drop_table('actuals')
    op.drop_table('activities')
