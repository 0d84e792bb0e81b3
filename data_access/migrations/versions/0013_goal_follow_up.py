"""goal follow-up: indicators, their values, uppdrag and initiativ, and controllers' notes (append-only)

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NOTES_MESSAGE = "en sparad kommentar eller bedömning kan inte ändras eller tas bort"


def upgrade() -> None:
    op.create_table('goal_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('responsible', sa.String(length=200), server_default='', nullable=False),
    sa.Column('computed', sa.String(length=40), server_default='', nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_indicators')),
    sa.UniqueConstraint('name', name='uq_goal_indicators_key')
    )
    op.create_table('goal_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('target_low', sa.Float(), nullable=True),
    sa.Column('target_high', sa.Float(), nullable=True),
    sa.Column('forecast', sa.Float(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_values')),
    sa.UniqueConstraint('indicator', 'year', 'month', name='uq_goal_values_key')
    )
    op.create_table('goal_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=200), server_default='', nullable=False),
    sa.Column('goal', sa.String(length=200), server_default='', nullable=False),
    sa.Column('responsible', sa.String(length=200), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('plan', sa.String(length=30), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('comment_date', sa.String(length=10), server_default='', nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_items')),
    sa.UniqueConstraint('name', name='uq_goal_items_key')
    )
    op.create_table('goal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('assessment', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('plan', sa.String(length=30), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_notes'))
    )
    # The notes are their own history: the database refuses to change or remove one (as 0009 does
    # for the audit log and the locked versions).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE TRIGGER goal_notes_no_change BEFORE UPDATE OR DELETE ON goal_notes
                       FOR EACH ROW EXECUTE FUNCTION namndpanelen_refuse_change('{NOTES_MESSAGE}')""")
        op.execute(f"""CREATE TRIGGER goal_notes_no_truncate BEFORE TRUNCATE ON goal_notes
                       FOR EACH STATEMENT EXECUTE FUNCTION namndpanelen_refuse_change('{NOTES_MESSAGE}')""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER goal_notes_no_{event.lower()} BEFORE {event} ON goal_notes
                           BEGIN SELECT RAISE(ABORT, '{NOTES_MESSAGE}'); END""")
        op.execute(f"""CREATE TRIGGER goal_notes_no_replace BEFORE INSERT ON goal_notes
                       WHEN EXISTS (SELECT 1 FROM goal_notes WHERE id = NEW.id)
                       BEGIN SELECT RAISE(ABORT, '{NOTES_MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER goal_notes_no_change ON goal_notes")
        op.execute("DROP TRIGGER goal_notes_no_truncate ON goal_notes")
    else:
        for event in ("update", "delete", "replace"):
            op.execute(f"DROP TRIGGER goal_notes_no_{event}")
    op.drop_table('goal_notes')
    op.drop_table('goal_items')
    op.drop_table('goal_values')
    op.drop_table('goal_indicators')
