"""The PostgreSQL set-up a municipality's DBA uses: an owner role runs the migrations, and the
application connects as a role that owns nothing.

The application's role may read and add rows everywhere it needs to, but on the audit log and the
saved versions it has SELECT and INSERT only: no UPDATE, DELETE or TRUNCATE, no TRIGGER, and since
only a table's owner may ``ALTER TABLE … DISABLE TRIGGER`` or drop a trigger, it cannot switch the
database's own refusal off either. See README, "Låsta versioner och granskningslogg".
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from data_access import schema as s


class PrivilegeError(ValueError):
    """The message is Swedish."""


def _quote(connection: Connection, name: str) -> str:
    if not name or not name.strip():
        raise PrivilegeError("Ange ett rollnamn.")
    return connection.dialect.identifier_preparer.quote(name)


def application_grants(connection: Connection, app_role: str) -> list[str]:
    """The statements that give ``app_role`` exactly the application's privileges in the current schema."""
    if connection.dialect.name != "postgresql":
        raise PrivilegeError("Roller och behörigheter finns bara i PostgreSQL; SQLite skyddas av triggerna.")
    role = _quote(connection, app_role)
    schema = _quote(connection, connection.execute(text("SELECT current_schema()")).scalar())
    has_usage = connection.execute(text("SELECT has_schema_privilege(:role, current_schema(), 'USAGE')"),
                                   {"role": app_role}).scalar()
    statements = [] if has_usage else [f"GRANT USAGE ON SCHEMA {schema} TO {role}"]
    statements += [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT ON {schema}.alembic_version TO {role}",
    ]
    for table in sorted(s.metadata.tables):
        rights = "SELECT, INSERT" if table in s.APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON {schema}.{_quote(connection, table)} TO {role}")
    # New ids come from the tables' sequences: nextval needs USAGE, nothing more.
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    return statements


def role_problems(connection: Connection, app_role: str) -> list[str]:
    """Why ``app_role`` could still get round the locks, in Swedish (empty when it cannot)."""
    problems = []
    row = connection.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :role"),
                             {"role": app_role}).first()
    if row is None:
        return [f'Rollen "{app_role}" finns inte i databasen.']
    if row.rolsuper:
        problems.append(f'Rollen "{app_role}" är superanvändare och kan stänga av triggerna.')
    owned = connection.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S') "
        "AND pg_has_role(:role, c.relowner, 'USAGE') ORDER BY c.relname"), {"role": app_role}).scalars().all()
    if owned:
        problems.append(f'Rollen "{app_role}" äger (eller ärver ägarskap till) {", ".join(owned)}; '
                        "en ägare kan stänga av triggerna. Kör migreringarna som en separat ägarroll.")
    return problems


def grant_application_role(connection: Connection, app_role: str) -> list[str]:
    """Apply ``application_grants`` and return the statements run; refuses a role that could bypass the locks."""
    problems = role_problems(connection, app_role)
    if problems:
        raise PrivilegeError(" ".join(problems))
    statements = application_grants(connection, app_role)
    for statement in statements:
        connection.execute(text(statement))
    return statements
