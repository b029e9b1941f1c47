"""The warehouse reader on PostgreSQL (`dbt build --target postgres`): the profile's server,
read-only, in UTC, through psycopg2 (the driver dbt-postgres and dlt's postgres destination
install: `pip install 'breadcrumbs[postgres]'`)."""

from __future__ import annotations

from typing import Any

from breadcrumbs.warehouse.reader import Warehouse, WarehouseError


def qmark_to_format(sql: str) -> str:
    """`?` placeholders as psycopg2's `%s` (and a literal `%` as `%%`), leaving quoted text
    ('…' literals, "…" identifiers) alone."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
            out.append("%%" if char == "%" else char)
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


class PostgresWarehouse(Warehouse):
    """A read-only session on the server the profile's postgres target names."""

    engine = "postgres"

    def __init__(self, conn: Any, names: dict[str, str] | None = None, label: str = "") -> None:
        super().__init__(names, label)
        self.conn = conn

    @classmethod
    def connect(cls, output: dict[str, Any], write: bool = False) -> PostgresWarehouse:
        """Connect with the target's host, port, user, password, dbname and sslmode; a
        read-only session unless `write`."""
        try:
            import psycopg2
        except ImportError as exc:
            raise WarehouseError(
                "the profile's target is postgres but psycopg2 is not installed: "
                "pip install 'breadcrumbs[postgres]' (or `make test-postgres` once)"
            ) from exc
        label = (f"{output.get('host')}:{output.get('port')}/{output.get('dbname')} "
                 f"(target {output.get('name')})")
        try:
            conn = psycopg2.connect(
                host=output.get("host"), port=int(output.get("port") or 5432),
                user=output.get("user"), password=output.get("password") or None,
                dbname=output.get("dbname"), sslmode=output.get("sslmode") or "prefer",
                connect_timeout=int(output.get("connect_timeout") or 10),
                options="-c timezone=UTC",
            )
        except psycopg2.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise WarehouseError(f"cannot connect to the PostgreSQL warehouse {label}: {first} "
                                 "(check BREADCRUMBS_PG_HOST/PORT/USER/DBNAME)") from exc
        conn.set_session(readonly=not write, autocommit=True)
        return cls(conn, label=label)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.conn.cursor() as cursor:
            cursor.execute(qmark_to_format(sql), list(params or []))
            columns = [column[0] for column in cursor.description or []]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        with self.conn.cursor() as cursor:
            cursor.execute(qmark_to_format(sql), list(params or []))

    def close(self) -> None:
        self.conn.close()
