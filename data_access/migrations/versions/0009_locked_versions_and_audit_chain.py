"""locked versions and the audit hash chain

Revision ID: 0009
Revises: 0008

Saved forecast versions (header, lines, months, placements) and the audit log refuse UPDATE and
DELETE in the database itself, on SQLite also an INSERT OR REPLACE that would overwrite a row, and
on PostgreSQL also TRUNCATE. Audit entries get a hash chain and versions a content hash; the rows
already there are hashed here, once, before the triggers close the tables.
"""

from alembic import op
import sqlalchemy as sa

from domain.integrity import GENESIS, audit_row_hash, version_hash


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

AUDIT_MESSAGE = "granskningsloggen kan inte ändras eller tas bort"
VERSION_MESSAGE = "en sparad prognosversion är låst och kan inte ändras eller tas bort"

# Table -> (message, the unique keys besides id that an INSERT OR REPLACE could overwrite through).
LOCKED = {
    'audit_log': (AUDIT_MESSAGE, ()),
    'forecast_versions': (VERSION_MESSAGE, (('name',),)),
    'forecast_version_lines': (VERSION_MESSAGE, (('version_id', 'activity'),)),
    'forecast_version_months': (VERSION_MESSAGE, (('version_id', 'activity', 'month'),)),
    'forecast_version_volumes': (VERSION_MESSAGE, (('version_id', 'category', 'month'),)),
}


def _drop_0006_triggers(postgresql: bool) -> None:
    if postgresql:
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")


def _hash_existing_rows() -> None:
    bind = op.get_bind()
    audit = sa.table('audit_log', *(sa.column(name) for name in (
        'id', 'at', 'user_name', 'action', 'object', 'before', 'after', 'prev_hash', 'row_hash')))
    previous = GENESIS
    for row in bind.execute(sa.select(audit).order_by(audit.c.id)).mappings().all():
        digest = audit_row_hash(row, previous)
        bind.execute(sa.update(audit).where(audit.c.id == row['id']).values(prev_hash=previous, row_hash=digest))
        previous = digest

    versions = sa.table('forecast_versions', *(sa.column(name) for name in (
        'id', 'name', 'year', 'cutoff_month', 'data_version', 'created_at', 'author', 'note', 'content_sha256')))
    lines = sa.table('forecast_version_lines', *(sa.column(name) for name in (
        'version_id', 'activity', 'method', 'params', 'actual_ytd_kr', 'point_kr', 'p10_kr', 'p50_kr', 'p90_kr',
        'budget_kr', 'prob_within_target', 'comment')))
    months = sa.table('forecast_version_months', *(sa.column(name) for name in (
        'version_id', 'activity', 'month', 'is_actual', 'amount_kr')))
    volumes = sa.table('forecast_version_volumes', *(sa.column(name) for name in (
        'version_id', 'category', 'month', 'is_actual', 'care_days', 'cost_kr')))
    for header in bind.execute(sa.select(versions)).mappings().all():
        children = [bind.execute(sa.select(table).where(table.c.version_id == header['id'])).mappings().all()
                    for table in (lines, months, volumes)]
        bind.execute(sa.update(versions).where(versions.c.id == header['id'])
                     .values(content_sha256=version_hash(header, *children)))


def _create_triggers(postgresql: bool) -> None:
    if postgresql:
        op.execute("""
            CREATE FUNCTION namndpanelen_refuse_change() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END; $$ LANGUAGE plpgsql""")
        for table, (message, _keys) in LOCKED.items():
            op.execute(f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                           FOR EACH ROW EXECUTE FUNCTION namndpanelen_refuse_change('{message}')""")
            op.execute(f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                           FOR EACH STATEMENT EXECUTE FUNCTION namndpanelen_refuse_change('{message}')""")
        return
    for table, (message, keys) in LOCKED.items():
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                           BEGIN SELECT RAISE(ABORT, '{message}'); END""")
        # REPLACE deletes the row it conflicts with without firing delete triggers (unless the
        # connection turns recursive_triggers on), so an insert that would collide is refused first.
        clashes = [f"EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id)"]
        clashes += ["EXISTS (SELECT 1 FROM {} WHERE {})".format(
            table, " AND ".join(f"{column} = NEW.{column}" for column in key)) for key in keys]
        op.execute(f"""CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
                       WHEN {' OR '.join(clashes)}
                       BEGIN SELECT RAISE(ABORT, '{message}'); END""")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column('audit_log', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_log', sa.Column('row_hash', sa.String(length=64), nullable=True))
    op.add_column('forecast_versions', sa.Column('content_sha256', sa.String(length=64), nullable=True))
    _drop_0006_triggers(postgresql)
    _hash_existing_rows()
    _create_triggers(postgresql)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in LOCKED:
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        else:
            for event in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {table}_no_{event}")
    if postgresql:
        op.execute("DROP FUNCTION namndpanelen_refuse_change()")
    # ALTER TABLE … DROP COLUMN on both (SQLite 3.35+): recreating the tables would trip their foreign keys.
    for table, column in (('forecast_versions', 'content_sha256'), ('audit_log', 'row_hash'),
                          ('audit_log', 'prev_hash')):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    # The append-only triggers of 0006.
    if postgresql:
        op.execute(f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE}'; END; $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""")
        op.execute("""CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log
                           BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END""")
