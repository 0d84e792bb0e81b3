"""what an import replaced is kept as it was written

Revision ID: 0020
Revises: 0019

``import_changes`` holds, per import, the rows it replaced: an undo writes them back. Changed afterwards, an undo
would put back figures nobody imported. The database now refuses UPDATE and DELETE on it (on SQLite also an
INSERT OR REPLACE over an existing row, on PostgreSQL also TRUNCATE), as 0009 does for the audit log and the
locked versions; on PostgreSQL the application's role gets SELECT and INSERT only (``data_access.privileges``).
"""

from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

MESSAGE = "det en import ersatte sparas för att kunna ångras och kan inte ändras eller tas bort"


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""CREATE TRIGGER import_changes_no_change BEFORE UPDATE OR DELETE ON import_changes
                       FOR EACH ROW EXECUTE FUNCTION namndpanelen_refuse_change('{MESSAGE}')""")
        op.execute(f"""CREATE TRIGGER import_changes_no_truncate BEFORE TRUNCATE ON import_changes
                       FOR EACH STATEMENT EXECUTE FUNCTION namndpanelen_refuse_change('{MESSAGE}')""")
        return
    for event in ('UPDATE', 'DELETE'):
        op.execute(f"""CREATE TRIGGER import_changes_no_{event.lower()} BEFORE {event} ON import_changes
                       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")
    op.execute(f"""CREATE TRIGGER import_changes_no_replace BEFORE INSERT ON import_changes
                   WHEN EXISTS (SELECT 1 FROM import_changes WHERE id = NEW.id)
                   BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER import_changes_no_change ON import_changes")
        op.execute("DROP TRIGGER import_changes_no_truncate ON import_changes")
    else:
        for event in ('update', 'delete', 'replace'):
            op.execute(f"DROP TRIGGER import_changes_no_{event}")
