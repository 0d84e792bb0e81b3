"""the digest of a stored forecast's inputs, so that a data version with the same inputs takes it over

Revision ID: 0015
Revises: 0014
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('forecast_results', sa.Column('input_digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('forecast_results') as batch:
        batch.drop_column('input_digest')
