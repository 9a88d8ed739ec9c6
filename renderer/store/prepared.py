"""Hot statements without Core's per-call work (statement building, cache keys, events, result objects): a Core
statement is compiled once for the engine's dialect and run on a pooled DBAPI connection, through the column types'
own bind and result processors, so a value goes in and comes back exactly as Core would pass it (an aware UTC
datetime from SQLite's text included). `Database.statements()` and `Database.transaction()` lend the connection."""
from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]
# a statement, or one built per dialect (by dialect name) for what Core spells differently on each (ON CONFLICT)
Builder = ClauseElement | Callable[[str], ClauseElement]
_REQUIRED = object()


def dialect_insert(dialect_name: str) -> Any:
    """The dialect's own `insert`, which knows ON CONFLICT: SQLite and PostgreSQL spell it alike."""
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect_name]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool                                             # qmark (SQLite) or named pyformat (psycopg)
    binds: tuple[tuple[str, Processor | None, Any], ...]         # (name, bind processor, default) in driver order
    results: tuple[tuple[int, Processor], ...]                   # (column index, result processor) where there is one


class Prepared:
    """A statement built with `bindparam`s (and literals, which become defaults), compiled on first use per dialect."""

    def __init__(self, build: Builder) -> None:
        self._build = build
        self._compiled: weakref.WeakKeyDictionary[Dialect, _Compiled] = weakref.WeakKeyDictionary()

    def statement(self, dialect_name: str) -> ClauseElement:
        """The Core statement (what Core itself would run, in tests)."""
        return self._build if isinstance(self._build, ClauseElement) else self._build(dialect_name)

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:       # two threads may both compile the first time: the same result, harmless
            found = self._compiled[dialect] = _compile(self.statement(dialect.name), dialect)
        return found


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))      # DML, never DDL
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError(f"expanding or literal-execute parameters need Core: {compiled.string}")
    names = compiled.positiontup if compiled.positional else list(compiled.binds)
    binds = []
    for name in names or ():
        bind = compiled.binds[name]
        default = _REQUIRED if bind.required else bind.effective_value
        binds.append((name, bind.type.dialect_impl(dialect).bind_processor(dialect), default))
    results = []
    for index, column in enumerate(getattr(statement, "selected_columns", ())):
        processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if processor is not None:
            results.append((index, processor))
    return _Compiled(compiled.string, compiled.positional, tuple(binds), tuple(results))


class Statements:
    """Runs prepared statements on one lent DBAPI connection; a driver error comes out as Core would raise it."""

    def __init__(self, connection: Any, dialect: Dialect) -> None:
        self.connection = connection         # the pool's proxy: `invalidate()` drops a broken one
        self.dialect = dialect
        self.cursor = connection.cursor()

    def first(self, statement: Prepared, **values: Any) -> tuple[Any, ...] | None:
        """The first row as a tuple, its values processed as Core processes them; None if there is none."""
        compiled = self._execute(statement, values)
        row = self.cursor.fetchone()
        if row is None or not compiled.results:
            return row if row is None else tuple(row)
        out = list(row)
        for index, processor in compiled.results:
            out[index] = processor(out[index])
        return tuple(out)

    def run(self, statement: Prepared, **values: Any) -> int:
        """Execute a write; returns how many rows it touched."""
        self._execute(statement, values)
        return int(self.cursor.rowcount)

    def close(self) -> None:
        """Ends the cursor's statement: a SQLite SELECT not read to its end would hold its snapshot open."""
        if self.connection.is_valid:
            self.cursor.close()

    def _execute(self, statement: Prepared, values: Mapping[str, Any]) -> _Compiled:
        compiled = statement.compiled(self.dialect)
        params = _params(compiled, values)
        try:
            self.cursor.execute(compiled.sql, params)
        except self.dialect.loaded_dbapi.Error as error:
            raise self.wrapped(error, compiled.sql, params) from error
        return compiled

    def wrapped(self, error: Any, sql: str | None = None, params: Any = None) -> BaseException:
        """The driver's error as Core's exception (IntegrityError …); a lost connection is not lent again."""
        lost = self.dialect.is_disconnect(error, self.connection.dbapi_connection, self.cursor)
        if lost:
            self.connection.invalidate(error)
        return exc.DBAPIError.instance(sql, params, error, self.dialect.loaded_dbapi.Error,
                                       connection_invalidated=lost, dialect=self.dialect)


def _params(compiled: _Compiled, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
    processed = []
    for name, processor, default in compiled.binds:
        value = values.get(name, default)
        if value is _REQUIRED:
            raise KeyError(f"no value for the statement's parameter {name!r}")
        processed.append(value if processor is None else processor(value))
    if compiled.positional:
        return tuple(processed)
    return {name: value for (name, _processor, _default), value in zip(compiled.binds, processed)}
